import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { brotliCompressSync, constants } from "node:zlib";
import preact from "@preact/preset-vite";
import { defineConfig } from "vite";
import { VitePWA } from "vite-plugin-pwa";

// The same policy the API sends (issue 14): nothing inline, so the preview shows CSP breakage early.
const csp = [
  "default-src 'self'",
  "img-src 'self' data:",
  "style-src 'self'",
  "script-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join("; ");

// The API runs on 127.0.0.1:8000 during `npm run dev`; in production it serves pwa/dist itself.
const api = process.env.PORTAL_API ?? "http://127.0.0.1:8000";

/**
 * Brotli copies of the built files (`app.js.br` beside `app.js`), made once at build time at the
 * highest quality, which is too slow to do per request. The server sends one to a browser that
 * accepts `br` (portal_api/web.py): 6 KB less than gzip on a first load, about 120 ms at Slow 4G.
 * Node's own zlib: twenty lines of glue, no dependency. Run last, after the service worker and
 * the public files are written.
 */
const COMPRESSIBLE = /\.(js|css|html|svg|webmanifest|json)$/;
const BROTLI_FROM_BYTES = 1024;

function brotliCopies(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) brotliCopies(path);
    else if (COMPRESSIBLE.test(entry.name) && statSync(path).size >= BROTLI_FROM_BYTES) {
      const body = readFileSync(path);
      const params = { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: body.length };
      writeFileSync(`${path}.br`, brotliCompressSync(body, { params }));
    }
  }
}

export default defineConfig({
  plugins: [
    preact(),
    {
      name: "portal:brotli-copies",
      apply: "build",
      closeBundle: { order: "post", sequential: true, handler: () => brotliCopies(resolve(import.meta.dirname, "dist")) },
    },
    VitePWA({
      strategies: "injectManifest",
      srcDir: "src/offline",
      filename: "sw.ts",
      // Registered from src/offline/register.ts: the plugin's default is an inline script.
      injectRegister: false,
      // Each council serves its own manifest at /manifest.webmanifest (branding, discreet name).
      manifest: false,
      injectManifest: {
        // The staff console is never precached on a young person's phone.
        globPatterns: ["index.html", "assets/app/**/*.{js,css}", "assets/shared/**/*.{js,css}", "*.{js,svg,png}"],
        globIgnores: ["sw.js", "staff/**", "assets/staff/**"],
      },
    }),
  ],
  css: {
    // govuk-frontend keeps an IE11 hack (`min-width: 0\0`) the minifier rejects: drop that rule.
    lightningcss: { errorRecovery: true },
  },
  build: {
    target: "es2020",
    cssCodeSplit: true,
    rollupOptions: {
      input: {
        app: resolve(import.meta.dirname, "index.html"),
        staff: resolve(import.meta.dirname, "staff/index.html"),
      },
      output: {
        // Folders by owner, so the precache list and the size check can tell the two apps apart.
        entryFileNames: (chunk) => `assets/${chunk.name === "staff" ? "staff" : "app"}/[name]-[hash].js`,
        chunkFileNames: (chunk) => {
          const ids = chunk.moduleIds;
          const staffOnly = ids.length > 0 && ids.every((id) => id.includes("/src/staff/"));
          const appOnly = ids.length > 0 && ids.every((id) => id.includes("/src/app/"));
          return `assets/${staffOnly ? "staff" : appOnly ? "app" : "shared"}/[name]-[hash].js`;
        },
        assetFileNames: (asset) => {
          const name = asset.names[0] ?? "";
          return `assets/${name.startsWith("staff") ? "staff" : "shared"}/[name]-[hash][extname]`;
        },
      },
    },
  },
  server: {
    proxy: {
      "/api": { target: api, changeOrigin: false },
      "/manifest.webmanifest": { target: api, changeOrigin: false },
    },
  },
  preview: {
    headers: { "Content-Security-Policy": csp },
    proxy: {
      "/api": { target: api, changeOrigin: false },
      "/manifest.webmanifest": { target: api, changeOrigin: false },
    },
  },
});
