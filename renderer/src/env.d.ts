/// <reference types="vite/client" />
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}
declare const __WEBBDESK_DEV__: boolean;
/** The part of SpectorJS the dev-only "Capture WebGL frame" command uses (the package ships no types). */
declare module 'spectorjs' {
  export class Spector {
    displayUI(): void;
    captureCanvas(canvas: HTMLCanvasElement): void;
  }
}
