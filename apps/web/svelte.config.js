import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  kit: {
    adapter: adapter({ out: 'build' }),
    csrf: {
      // The same-origin check for form posts is done in src/hooks.server.ts instead of here, because the
      // site must accept posts when reached as http://localhost:PORT and as http://127.0.0.1:PORT while
      // ORIGIN names only one of them. That check compares the Origin header with the site origin and
      // with the origin of the Host the browser addressed, and trusts `Sec-Fetch-Site: same-origin`.
      trustedOrigins: ['*'],
    },
    csp: {
      mode: 'auto',
      directives: {
        'default-src': ['self'],
        'script-src': ['self'],
        'style-src': ['self', 'unsafe-inline'],
        // lesson markdown may show https images (the API's sanitiser allows only https for img)
        'img-src': ['self', 'data:', 'https:'],
        'font-src': ['self'],
        'connect-src': ['self'],
        // hls.js plays through Media Source Extensions (blob: URLs) and may start a worker from a blob.
        // With S3 or a CDN on another origin, MEDIA_ORIGINS adds it to connect-src, media-src and img-src
        // when the server runs (src/hooks.server.ts), so a deployment needs no rebuild.
        'media-src': ['self', 'blob:'],
        'worker-src': ['self', 'blob:'],
        // external activity lessons (xAPI/cmi5) play in a sandboxed frame: this site's own, or an https package
        'frame-src': ['self', 'https:'],
        'object-src': ['none'],
        'base-uri': ['self'],
        'form-action': ['self'],
        'frame-ancestors': ['none'],
      },
    },
    typescript: {
      config(tsconfig) {
        tsconfig.include.push('../e2e/**/*.ts', '../vitest.e2e.config.ts');
      },
    },
  },
};

export default config;
