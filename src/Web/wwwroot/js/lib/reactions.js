// @ts-check
// Reactions are drawn from images shipped with LiveHub (one SVG sprite), never from the emoji font: a projector PC or
// a laptop without one would show empty boxes.
import { assetUrl } from './page.js';

export const REACTIONS = ['clap', 'heart', 'laugh', 'wow', 'think', 'up'];

/** An inline SVG that shows one reaction from the sprite. @param {string} key @param {string} [className] */
export function reactionIcon(key, className = 'reaction-icon') {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('class', className);
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const use = document.createElementNS(ns, 'use');
  use.setAttribute('href', `${assetUrl('img/reactions.svg')}#${key}`);
  svg.append(use);
  return svg;
}
