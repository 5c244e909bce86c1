// Every file-level detector, one module per rule id. Adding a detection is one file here and
// one table in test/detectors/.
import type { Detector } from '../context.js';
import childProcess from './child-process.js';
import credentialFile from './credential-file.js';
import dynamicRequire from './dynamic-require.js';
import envBulk from './env-bulk.js';
import envRead from './env-read.js';
import envReadDynamic from './env-read-dynamic.js';
import envWrite from './env-write.js';
import evalDetector from './eval.js';
import exfiltration from './exfiltration.js';
import network from './network.js';
import obfuscation from './obfuscation.js';

export const DETECTORS: readonly Detector[] = [
  envRead,
  envReadDynamic,
  envBulk,
  envWrite,
  network,
  childProcess,
  evalDetector,
  dynamicRequire,
  credentialFile,
  obfuscation,
  exfiltration,
];
