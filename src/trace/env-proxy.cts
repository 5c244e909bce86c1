// process.env behind a Proxy: each key read (get, `in`, own-property checks), each enumeration
// (ownKeys: Object.keys, JSON.stringify, spreads, for…in) and each write or delete is recorded
// for the package that made it. Values pass through untouched and are never looked at.
import type { Sink } from './sink.cjs';
import { findCaller, type Caller } from './stack.cjs';

// Names that code asks of any object it is handed (JSON.stringify asks for toJSON, await for then,
// test frameworks for asymmetricMatch): when they are not set in the environment, they are not
// env reads.
const PROTOCOL = new Set([
  ...Object.getOwnPropertyNames(Object.prototype),
  'toJSON', 'then', 'inspect', 'asymmetricMatch', '$$typeof', 'nodeType', 'constructor', 'length',
  '@@__IMMUTABLE_ITERABLE__@@', '@@__IMMUTABLE_RECORD__@@', '_isMockFunction', 'nodeName',
]);

export function wrapEnv(env: NodeJS.ProcessEnv, sink: Sink, root: string): NodeJS.ProcessEnv {
  let busy = false;
  // the call site of the latest enumeration: the reads JSON.stringify or a spread makes right after
  // come from the same site and belong to that enumeration, not to separate reads
  let lastEnumeration = '';

  const caller = (): (Caller & { internal: boolean }) | null => {
    if (busy) return null;
    busy = true;
    try {
      return findCaller(root);
    } catch {
      return null;
    } finally {
      busy = false;
    }
  };
  const read = (target: NodeJS.ProcessEnv, key: string | symbol): void => {
    if (typeof key !== 'string') return;
    if (PROTOCOL.has(key) && !Object.prototype.hasOwnProperty.call(target, key)) return;
    const c = caller();
    // Node reading its own settings (FORCE_COLOR for console.log, NODE_DEBUG…) is not the caller's read
    if (!c || c.internal) return;
    if (`${c.owner.location}\u0000${c.site}` === lastEnumeration) return;
    sink.add('env-read', key, c);
  };
  const write = (key: string | symbol, op: 'set' | 'delete'): void => {
    if (typeof key !== 'string') return;
    const c = caller();
    if (c) sink.add('env-write', key, c, { op, ...(c.via ? { via: c.via } : {}) });
  };

  return new Proxy(env, {
    // no receiver is passed on: the real env object coerces and stores values itself, and a proxy
    // receiver would turn one assignment into a set and a defineProperty
    get(target, key) {
      read(target, key);
      return Reflect.get(target, key) as unknown;
    },
    has(target, key) {
      read(target, key);
      return Reflect.has(target, key);
    },
    getOwnPropertyDescriptor(target, key) {
      read(target, key);
      return Reflect.getOwnPropertyDescriptor(target, key);
    },
    ownKeys(target) {
      const c = caller();
      if (c) {
        lastEnumeration = `${c.owner.location}\u0000${c.site}`;
        sink.add('env-enumerate', '*', c, c.via ? { via: c.via } : {});
      }
      return Reflect.ownKeys(target);
    },
    set(target, key, value) {
      write(key, 'set');
      return Reflect.set(target, key, value);
    },
    defineProperty(target, key, desc) {
      write(key, 'set');
      return Reflect.defineProperty(target, key, desc);
    },
    deleteProperty(target, key) {
      write(key, 'delete');
      return Reflect.deleteProperty(target, key);
    },
  });
}
