import type { Page } from 'playwright-core';

/** Drags a palette entry onto the canvas, at a point given as fractions of the canvas size. */
export async function dropPaletteNode(page: Page, nodeType: string, at: { x: number; y: number }): Promise<void> {
  const canvas = page.locator('.editor-canvas');
  const box = await canvas.boundingBox();
  if (!box) throw new Error('The editor canvas is not visible');
  await page.locator(`.palette-item[data-node-type="${nodeType}"]`).dragTo(canvas, { targetPosition: { x: box.width * at.x, y: box.height * at.y } });
}

/** Presses on a node's output port and releases on another node's input port, as a person would. */
export async function connectPorts(page: Page, fromNodeId: string, toNodeId: string, fromPort = 'main', toPort = 'main'): Promise<void> {
  const source = await page.locator(`.react-flow__node[data-id="${fromNodeId}"] .react-flow__handle.source[data-handleid="${fromPort}"]`).boundingBox();
  const target = await page.locator(`.react-flow__node[data-id="${toNodeId}"] .react-flow__handle.target[data-handleid="${toPort}"]`).boundingBox();
  if (!source || !target) throw new Error(`Ports of ${fromNodeId} or ${toNodeId} are not on screen`);
  await page.mouse.move(source.x + source.width / 2, source.y + source.height / 2);
  await page.mouse.down();
  await page.mouse.move((source.x + target.x) / 2, (source.y + target.y) / 2 + 20, { steps: 5 });
  await page.mouse.move(target.x + target.width / 2, target.y + target.height / 2, { steps: 5 });
  await page.mouse.up();
}
