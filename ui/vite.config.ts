import { defineConfig } from "vitest/config";

// Tauri expects a fixed port (tauri.conf.json devUrl) and its own env prefix.
export default defineConfig({
  clearScreen: false,
  server: {
    port: 1420,
    strictPort: true,
    // the app icon is shared with the bundles (../icons)
    fs: { allow: [".."] },
    watch: { ignored: ["**/src-tauri/**"] },
  },
  envPrefix: ["VITE_", "TAURI_ENV_"],
  // Preact's JSX runtime (no Babel plugin needed: esbuild compiles TSX).
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  build: {
    // WebKitGTK on Linux/macOS, WebView2 (Chromium) on Windows.
    target: process.env.TAURI_ENV_PLATFORM === "windows" ? "chrome105" : "safari13",
    minify: process.env.TAURI_ENV_DEBUG ? false : "esbuild",
    sourcemap: !!process.env.TAURI_ENV_DEBUG,
    chunkSizeWarningLimit: 1200,
  },
  test: {
    environment: "happy-dom",
    include: ["src/**/*.test.ts", "src/**/*.test.tsx"],
  },
});
