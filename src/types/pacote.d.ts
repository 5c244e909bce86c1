// Ambient types for the parts of pacote 21.x that env-audit uses (the package ships no types).
// Options are npm's flat options: registry, cache, integrity, auth keys such as
// "//registry.example/:_authToken", proxy settings; pacote passes them on to npm-registry-fetch.
declare module 'pacote' {
  namespace pacote {
    interface Options {
      registry?: string;
      /** the cacache folder (npm's `<cache>/_cacache`). */
      cache?: string;
      integrity?: string;
      resolved?: string;
      /** 'npmjs' (default) rewrites registry.npmjs.org tarball URLs to `registry`; or 'never' | 'always' | a host. */
      replaceRegistryHost?: string;
      ignoreScripts?: boolean;
      preferOnline?: boolean;
      preferOffline?: boolean;
      offline?: boolean;
      fullMetadata?: boolean;
      before?: Date;
      defaultTag?: string;
      [key: string]: unknown;
    }

    interface FetchResult {
      /** the spec it came from, e.g. "name@https://…/name-1.0.0.tgz". */
      from: string;
      resolved: string;
      integrity: string;
    }

    interface Manifest {
      name: string;
      version: string;
      dependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
      peerDependencies?: Record<string, string>;
      scripts?: Record<string, string>;
      _resolved: string;
      _integrity: string;
      _from: string;
      dist?: { tarball?: string; integrity?: string; shasum?: string };
      [key: string]: unknown;
    }

    interface Packument {
      name: string;
      'dist-tags': Record<string, string>;
      versions: Record<string, Manifest>;
      time?: Record<string, string>;
      [key: string]: unknown;
    }
  }

  const pacote: {
    extract(spec: string, dest: string, opts?: pacote.Options): Promise<pacote.FetchResult>;
    manifest(spec: string, opts?: pacote.Options): Promise<pacote.Manifest>;
    packument(spec: string, opts?: pacote.Options): Promise<pacote.Packument>;
    resolve(spec: string, opts?: pacote.Options): Promise<string>;
    tarball(spec: string, opts?: pacote.Options): Promise<Buffer & { integrity: string; resolved: string; from: string }>;
  };

  export = pacote;
}
