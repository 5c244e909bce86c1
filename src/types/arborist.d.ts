// Ambient types for the parts of @npmcli/arborist 9.x that env-audit uses (the package ships no
// types). Only what we read is declared; everything is readonly because we never mutate the tree.
declare module '@npmcli/arborist' {
  namespace Arborist {
    type EdgeType = 'prod' | 'dev' | 'optional' | 'peer' | 'peerOptional' | 'workspace';

    interface Edge {
      readonly name: string;
      readonly spec: string;
      readonly rawSpec: string;
      readonly type: EdgeType;
      readonly from: Node | null;
      /** the node that satisfies the edge (a Link when the dependency is linked), null when missing. */
      readonly to: Node | null;
      readonly valid: boolean;
      /** 'MISSING' | 'INVALID' | 'PEER LOCAL' | 'DETACHED', or null when fine. */
      readonly error: string | null;
      readonly missing: boolean;
      readonly invalid: boolean;
      readonly prod: boolean;
      readonly dev: boolean;
      readonly optional: boolean;
      readonly peer: boolean;
      readonly workspace: boolean;
      readonly bundled: boolean;
    }

    interface Node {
      /** folder name under node_modules (an alias name for npm: aliases), not package.json's name. */
      readonly name: string;
      /** package.json "name", or null when package.json is missing/broken. */
      readonly packageName: string | null;
      /** package.json "version", or '' when missing. */
      readonly version: string;
      /** '/'-separated path relative to the root's realpath ('' for the root; may start with '../'). */
      readonly location: string;
      readonly path: string;
      readonly realpath: string;
      /** normalized package.json content ({} when missing or broken). */
      readonly package: Record<string, unknown>;
      readonly isLink: boolean;
      /** a Link's target node; a plain Node returns itself; null for a dangling Link. */
      readonly target: Node | null;
      readonly isRoot: boolean;
      readonly isProjectRoot: boolean;
      readonly isWorkspace: boolean;
      readonly isTop: boolean;
      readonly top: Node;
      readonly dev: boolean;
      readonly optional: boolean;
      readonly devOptional: boolean;
      readonly peer: boolean;
      readonly extraneous: boolean;
      /** placeholder nodes made for folders above link targets; not packages. */
      readonly dummy: boolean;
      readonly integrity: string | null;
      readonly resolved: string | null;
      readonly edgesOut: Map<string, Edge>;
      readonly edgesIn: Set<Edge>;
      readonly children: Map<string, Node>;
      readonly fsChildren: Set<Node>;
      readonly linksIn: Set<Node>;
      readonly parent: Node | null;
      readonly fsParent: Node | null;
      readonly resolveParent: Node | null;
      readonly root: Node;
      /** only populated on the root: every node (links and their targets too), keyed by location. */
      readonly inventory: Map<string, Node>;
      /** loading problems: a read/parse error of package.json, or a realpath error. */
      readonly errors: Array<Error & { code?: string; path?: string }>;
      readonly workspaces: Map<string, string> | null;
      readonly hasInstallScript: boolean;
      shouldOmit(omit: Set<string>): boolean;
    }

    interface LoadActualOptions {
      /** read every package.json from disk instead of trusting node_modules/.package-lock.json. */
      forceActual?: boolean;
      ignoreMissing?: boolean;
      filter?: (parent: Node, childName: string) => boolean;
    }

    interface Options {
      path?: string;
      installStrategy?: 'hoisted' | 'nested' | 'shallow' | 'linked';
      legacyPeerDeps?: boolean;
      [key: string]: unknown;
    }
  }

  class Arborist {
    constructor(options?: Arborist.Options);
    readonly path: string;
    loadActual(options?: Arborist.LoadActualOptions): Promise<Arborist.Node>;
  }

  export = Arborist;
}
