import type { Page } from 'playwright-core';
import { expect } from 'vitest';

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

/**
 * Publishes through the toolbar's dialog, with an optional "What changed?"
 * message, and waits for the toolbar to show `version` live. With unsaved
 * changes the dialog's button is "Save and publish".
 */
export async function publishFromEditor(page: Page, options: { version: number; message?: string; hasUnsavedChanges?: boolean }): Promise<void> {
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  const dialog = page.getByRole('dialog');
  if (options.message !== undefined) await dialog.getByLabel('What changed?').fill(options.message);
  await dialog.getByRole('button', { name: options.hasUnsavedChanges ? 'Save and publish' : 'Publish', exact: true }).click();
  await page.getByText(`Live: v${options.version}`).waitFor();
}

/** From the empty workflows page: imports the starter example (webhook → greet → reply) and waits for its three nodes in the editor. */
export async function openStarterExample(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Start from an example' }).click();
  await page.getByRole('toolbar', { name: 'Workflow editor' }).waitFor();
  await expect.poll(() => page.locator('.react-flow__node').count()).toBe(3);
}
