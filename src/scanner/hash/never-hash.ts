/** Platforms whose files are never hashed (no hash database exists for them; files are often huge). */
export const NEVER_HASH_PLATFORMS = new Set([
  'amazon-alexa', 'amazon-fire-tv', 'android', 'gear-vr', 'ios', 'ipad', 'linux', 'mac', 'meta-quest-2',
  'meta-quest-3', 'oculus-go', 'oculus-quest', 'oculus-rift', 'ps3', 'ps4', 'ps5', 'psvr', 'psvr2', 'series-x-s',
  'switch', 'switch-2', 'wiiu', 'win', 'xbox360', 'xboxone',
]);
