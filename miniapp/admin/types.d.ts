// esbuild bundles imported stylesheets into admin.css.
declare module '*.css';
