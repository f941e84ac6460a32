// govuk-frontend's template snippet, shipped as a file because the CSP forbids inline script.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
