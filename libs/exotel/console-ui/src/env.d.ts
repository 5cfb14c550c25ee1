// The stylesheet main.ts imports: esbuild bundles it into console.css.
declare module '*.css';
