/**
 * Lays a vega-lite chart out headless and reads its scenegraph, so tests can check where marks
 * land (a marker on the line, one scene item per snapshot) without decoding pixels.
 */
import * as vega from 'vega';
import * as vl from 'vega-lite';

/** One laid-out item of a mark: its pixel position and, for lines, its interpolation. */
export interface SceneItem {
  readonly x?: number;
  readonly y?: number;
  readonly interpolate?: string;
  readonly items?: readonly SceneNode[];
}

/** A node of the scenegraph: a mark (with its type and role) or a group holding items. */
export interface SceneNode {
  readonly marktype?: string;
  readonly role?: string;
  readonly items?: readonly SceneItem[];
}

/** Every item of data marks of `type` in a vega scenegraph (line points, symbol markers; no legend). */
export function sceneItems(node: SceneNode, type: string, out: SceneItem[] = []): SceneItem[] {
  for (const item of node.items ?? []) {
    if (node.marktype === type && node.role === 'mark') out.push(item);
    for (const child of item.items ?? []) sceneItems(child, type, out);
  }
  return out;
}

/** Lays out a vega-lite spec headless and returns its scenegraph root. */
export async function scenegraph(spec: Parameters<typeof vl.compile>[0]): Promise<SceneNode> {
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  await view.runAsync();
  const root = (view.scenegraph() as unknown as { root: SceneNode }).root;
  view.finalize();
  return root;
}

/**
 * How far each marker sits from the step-after line under it, in pixels: a step-after line at x
 * holds the y of the last line point at or before x.
 */
export function markerOffsets(line: readonly SceneItem[], markers: readonly SceneItem[]): number[] {
  return markers.map((m) => {
    const under = line.filter((p) => p.x! <= m.x! + 1e-6).at(-1);
    return under ? Math.abs(m.y! - under.y!) : Number.POSITIVE_INFINITY;
  });
}
