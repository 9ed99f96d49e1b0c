import { markdownRenderer } from './markdown/markdown-renderer.ts';
import type { Renderer } from './renderer.ts';
import { textRenderer } from './text/text-renderer.ts';

/** Every output renderer, by id (the folder name). The only way in: callers never import one directly. */
export const renderers = {
  text: textRenderer,
  markdown: markdownRenderer,
} satisfies Record<string, Renderer>;

export type RendererId = keyof typeof renderers;

export const rendererIds = Object.keys(renderers) as RendererId[];

/** The renderer the output flags ask for: `--markdown` gives Markdown, else text. Never throws. */
export function rendererFor(options: { markdown?: boolean | undefined }): Renderer {
  return options.markdown === true ? renderers.markdown : renderers.text;
}
