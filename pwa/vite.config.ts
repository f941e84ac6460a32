import { resolve } from "node:path";
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

export default defineConfig({
  plugins: [
    preact(),
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
