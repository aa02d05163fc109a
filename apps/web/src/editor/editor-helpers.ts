import type { GraphProblem } from '../api/workflows.api';

/** The draft's problems by the node they are about (the canvas draws them on the nodes). */
export function groupProblemsByNode(problems: GraphProblem[]): Map<string, GraphProblem[]> {
  const byNode = new Map<string, GraphProblem[]>();
  for (const problem of problems) if (problem.nodeId) byNode.set(problem.nodeId, [...(byNode.get(problem.nodeId) ?? []), problem]);
  return byNode;
}

/** Saves text as a file through the browser's download. */
export function downloadFile(filename: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  URL.revokeObjectURL(url);
}
