import {
  DEFAULT_THEME,
  createTheme,
  darken,
  luminance,
  type CSSVariablesResolver,
} from '@mantine/core';

/*
 * The theme, tuned for WCAG 2.x AA contrast (4.5:1 for normal text) in light and dark:
 * - filled colours use shade 8, and `autoContrast` picks black or white text on them with a
 *   threshold (0.18) at which either choice reaches 4.5:1;
 * - light mode's pale colours (green, yellow, orange, …) get darker text on their light
 *   badges, outline buttons and coloured text (see `cssVariablesResolver`);
 * - dimmed text and placeholders are darker (light) or brighter (dark) than Mantine's.
 */

function contrast(a: string, b: string): number {
  const x = luminance(a);
  const y = luminance(b);
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
}

/** `color` darkened just enough to reach 4.6:1 on every one of `backgrounds`. */
function readableOn(color: string, backgrounds: readonly string[]): string {
  let result = color;
  for (let step = 1; step <= 10; step++) {
    if (backgrounds.every((bg) => contrast(result, bg) >= 4.6)) return result;
    result = darken(color, step * 0.06);
  }
  return result;
}

export const theme = createTheme({
  primaryColor: 'indigo',
  primaryShade: { light: 8, dark: 8 },
  autoContrast: true,
  luminanceThreshold: 0.18,
  defaultRadius: 'md',
  components: {
    // Icon-only close buttons get a name, for screen readers and getByRole('button'). Plain
    // objects rather than Modal.extend(): importing Modal here would load it up front.
    Modal: { defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } },
    Alert: { defaultProps: { closeButtonLabel: 'Dismiss' } },
    // A table wider than the screen scrolls sideways: its scroll area must take keyboard focus.
    TableScrollContainer: {
      defaultProps: { scrollAreaProps: { viewportProps: { tabIndex: 0 } } },
    },
  },
});

/** Light mode: text, light-variant and outline colours readable on white and on shade 1. */
function lightColorVariables(): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const [name, shades] of Object.entries(DEFAULT_THEME.colors)) {
    if (name === 'dark' || name === 'gray') continue;
    const onLight = readableOn(shades[9], [shades[1], '#ffffff']);
    const onWhite = readableOn(shades[8], ['#ffffff', DEFAULT_THEME.colors.gray[0]]);
    if (onLight !== shades[9]) vars[`--mantine-color-${name}-light-color`] = onLight;
    if (onWhite !== shades[8]) {
      vars[`--mantine-color-${name}-text`] = onWhite;
      vars[`--mantine-color-${name}-outline`] = onWhite;
    }
  }
  return vars;
}

export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': '#5c636a',
    '--mantine-color-placeholder': '#5c636a',
    ...lightColorVariables(),
  },
  dark: {
    '--mantine-color-dimmed': 'var(--mantine-color-dark-1)',
    '--mantine-color-placeholder': '#a6a6a6',
  },
});
