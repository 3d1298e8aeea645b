import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config/config.ts';
import { loadScanEnvironment } from '../../../src/config/scan.ts';
import { defaultHashWorkers } from '../../../src/scanner/hash/pool.ts';
import { settingsFromYaml } from '../../../src/scanner/scan-config.ts';

describe('SCAN_* variables', () => {
  it('has defaults for everything', () => {
    expect(loadScanEnvironment({}, '/data')).toEqual({
      onStart: true, intervalSeconds: 300, hashWorkers: null, skipHashCalculation: null,
      excludePlatforms: [], excludeExtensions: [], excludeFiles: [], configFile: path.resolve('/data/config.yml'),
      knownBiosPath: path.resolve('/data/known-bios'),
    });
  });

  it('reads every variable', () => {
    const env = loadScanEnvironment({
      SCAN_ON_START: 'off', SCAN_INTERVAL_SECONDS: '0', SCAN_HASH_WORKERS: ' 3 ', SCAN_SKIP_HASH_CALCULATION: 'Yes',
      SCAN_EXCLUDE_PLATFORMS: 'psx, n64 ,,', SCAN_EXCLUDE_EXTENSIONS: 'txt,nfo', SCAN_EXCLUDE_FILES: '*.bak',
      SCAN_CONFIG_FILE: 'conf/romm.yml', KNOWN_BIOS_PATH: 'lists/System.dat',
    }, '/data');
    expect(env).toEqual({
      onStart: false, intervalSeconds: 0, hashWorkers: 3, skipHashCalculation: true,
      excludePlatforms: ['psx', 'n64'], excludeExtensions: ['txt', 'nfo'], excludeFiles: ['*.bak'],
      configFile: path.resolve('conf/romm.yml'), knownBiosPath: path.resolve('lists/System.dat'),
    });
    expect(loadScanEnvironment({ SCAN_SKIP_HASH_CALCULATION: 'false' }, '/data').skipHashCalculation).toBe(false);
    expect(loadScanEnvironment({ SCAN_HASH_WORKERS: '  ' }, '/data').hashWorkers).toBeNull();
  });

  it('refuses bad values with the variable named', () => {
    const bad: [Record<string, string>, string][] = [
      [{ SCAN_HASH_WORKERS: 'many' }, 'SCAN_HASH_WORKERS="many" is not a whole number'],
      [{ SCAN_HASH_WORKERS: '0' }, 'SCAN_HASH_WORKERS=0 is out of range (1..64)'],
      [{ SCAN_HASH_WORKERS: '-2' }, 'SCAN_HASH_WORKERS="-2" is not a whole number'],
      [{ SCAN_HASH_WORKERS: '65' }, 'SCAN_HASH_WORKERS=65 is out of range (1..64)'],
      [{ SCAN_SKIP_HASH_CALCULATION: 'maybe' }, 'SCAN_SKIP_HASH_CALCULATION="maybe" must be true or false'],
      [{ SCAN_ON_START: 'sometimes' }, 'SCAN_ON_START="sometimes" must be true or false'],
      [{ SCAN_INTERVAL_SECONDS: '1.5' }, 'SCAN_INTERVAL_SECONDS="1.5" is not a whole number'],
    ];
    for (const [env, message] of bad) {
      expect(() => loadScanEnvironment(env, '/data')).toThrow(ConfigError);
      expect(() => loadConfig({ DATA_PATH: '/data', ...env })).toThrow(message);
    }
  });

  it('is part of the configuration, next to DATA_PATH', () => {
    const config = loadConfig({ DATA_PATH: '/srv/romshelf', SCAN_HASH_WORKERS: '2' });
    expect(config.scan.hashWorkers).toBe(2);
    expect(config.scan.configFile).toBe(path.resolve('/srv/romshelf/config.yml'));
  });
});

describe('scanner settings from config.yml and the variables', () => {
  const yaml = {
    exclude: { platforms: ['gba'], roms: { single_file: { extensions: ['sav'], names: ['x.bin'] }, multi_file: { parts: { extensions: ['log'], names: ['y'] } } } },
    filesystem: { skip_hash_calculation: true },
  };

  it('adds the variables to the file\'s lists', () => {
    const s = settingsFromYaml(yaml, { excludePlatforms: ['psx'], excludeExtensions: ['txt'], excludeFiles: ['*.bak'] });
    expect(s.exclusions.platforms).toEqual(['gba', 'psx']);
    expect(s.exclusions.singleFileExtensions).toEqual(['sav', 'txt']);
    expect(s.exclusions.singleFileNames).toEqual(['x.bin', '*.bak']);
    expect(s.exclusions.multiFilePartExtensions).toEqual(['log', 'txt']);
    expect(s.exclusions.multiFilePartNames).toEqual(['y', '*.bak']);
  });

  it('lets SCAN_SKIP_HASH_CALCULATION override the file either way, and the file decide when unset', () => {
    expect(settingsFromYaml(yaml, {}).skipHash).toBe(true);
    expect(settingsFromYaml(yaml, { skipHashCalculation: null }).skipHash).toBe(true);
    expect(settingsFromYaml(yaml, { skipHashCalculation: false }).skipHash).toBe(false);
    expect(settingsFromYaml({}, { skipHashCalculation: true }).skipHash).toBe(true);
    expect(settingsFromYaml({}, {}).skipHash).toBe(false);
  });

  it('uses the default hash workers unless set', () => {
    expect(settingsFromYaml({}, {}).hashWorkers).toBe(defaultHashWorkers());
    expect(settingsFromYaml({}, { hashWorkers: 7 }).hashWorkers).toBe(7);
  });
});
