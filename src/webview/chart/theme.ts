// Chart colors from VS Code's theme variables, so light, dark and high-contrast themes all read well.
export interface ThemeColors {
  foreground: string;
  grid: string;
  series: string[];
}

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.body).getPropertyValue(name).trim();
  return v || fallback;
}

export function themeColors(): ThemeColors {
  const hc = document.body.classList.contains('vscode-high-contrast') || document.body.classList.contains('vscode-high-contrast-light');
  return {
    foreground: cssVar('--vscode-foreground', '#888'),
    grid: hc ? cssVar('--vscode-contrastBorder', '#888') : cssVar('--vscode-editorWidget-border', 'rgba(128,128,128,0.35)'),
    series: [
      cssVar('--vscode-charts-blue', '#3794ff'),
      cssVar('--vscode-charts-orange', '#d18616'),
      cssVar('--vscode-charts-green', '#89d185'),
      cssVar('--vscode-charts-purple', '#b180d7'),
      cssVar('--vscode-charts-red', '#f14c4c'),
      cssVar('--vscode-charts-yellow', '#cca700'),
    ],
  };
}

export function seriesColor(c: ThemeColors, i: number): string {
  return c.series[i % c.series.length];
}
