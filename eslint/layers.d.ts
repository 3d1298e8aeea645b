import type { ESLint, Rule } from 'eslint';

export const LAYERS: Record<string, number>;
export function roomOf(srcRoot: string, file: string): string | null;
export const layersRule: Rule.RuleModule;
declare const plugin: ESLint.Plugin;
export default plugin;
