import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  authProvidersExtensionPoint,
  createProxyAuthenticator,
  createProxyAuthProviderFactory,
  SignInResolver,
} from '@backstage/plugin-auth-node';

/** The provider id: `/api/auth/local/refresh?user=<name>`. */
export const LOCAL_PROVIDER_ID = 'local';

/** The header the portal's sign-in picker sends the chosen user in (the query parameter works the same). */
export const LOCAL_USER_HEADER = 'x-catalyst-local-user';

const USER_NAME = /^[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?$/;

export interface LocalSignInResult {
  /** The name of the catalog User to sign in as, as asked for. */
  userName: string;
}

/** Reads `?user=` (or the picker's header) and checks its shape; the catalog decides whether the user exists. */
export function readLocalUserName(req: {
  query?: Record<string, unknown>;
  header(name: string): string | undefined;
}) {
  const fromQuery = req.query?.user;
  const raw =
    typeof fromQuery === 'string' ? fromQuery : req.header(LOCAL_USER_HEADER);
  if (raw === undefined || raw.trim() === '') {
    throw new InputError(
      "Local sign-in needs the user to sign in as: POST /api/auth/local/refresh?user=<name> (e.g. 'guest', 'alice', 'bob')",
    );
  }
  const name = raw.trim().toLowerCase();
  if (!USER_NAME.test(name)) {
    throw new InputError(
      `Local sign-in: '${raw}' is not a catalog user name (lower-case letters, digits, '.', '_' and '-')`,
    );
  }
  return name;
}

/** Throws unless the provider may run: never when NODE_ENV is production. */
export function assertLocalProviderAllowed(env: NodeJS.ProcessEnv) {
  if (env.NODE_ENV === 'production') {
    throw new Error(
      "The 'local' sign-in provider (auth.providers.local) signs anyone in as any seeded user and is for the " +
        'embedded default only; it refuses to run with NODE_ENV=production. Remove auth.providers.local from the ' +
        'configuration and use your identity provider.',
    );
  }
}

export const localAuthenticator = createProxyAuthenticator<
  void,
  LocalSignInResult,
  undefined
>({
  defaultProfileTransform: async result => ({
    profile: { displayName: result.userName },
  }),
  initialize() {
    assertLocalProviderAllowed(process.env);
  },
  async authenticate({ req }) {
    assertLocalProviderAllowed(process.env);
    return { result: { userName: readLocalUserName(req) } };
  },
});

/**
 * Signs in as `user:default/<name>` when the catalog has that User (seeded by catalog/org.yaml); its ownership
 * refs come from the catalog's memberOf relations like for any provider. Any other name is refused.
 */
export const signInAsSeededUser: SignInResolver<LocalSignInResult> = async (
  { result },
  ctx,
) => {
  try {
    return await ctx.signInWithCatalogUser({
      entityRef: { kind: 'User', namespace: 'default', name: result.userName },
    });
  } catch (error) {
    if ((error as Error)?.name === 'NotFoundError') {
      throw new NotFoundError(
        `Local sign-in: there is no catalog user 'user:default/${result.userName}'; the embedded default seeds guest, alice and bob (catalog/org.yaml)`,
      );
    }
    throw error;
  }
};

/**
 * The `local` sign-in provider of the embedded default: pick one of the catalog's seeded users (the platform
 * admin `guest`, `alice` of team-a, `bob` of team-b) without a password. It is only mounted when
 * `auth.providers.local` is configured (app-config.yaml, never app-config.production.yaml) and refuses to start
 * when NODE_ENV is production.
 */
export const authModuleLocalProvider = createBackendModule({
  pluginId: 'auth',
  moduleId: 'local-provider',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ providers, config, logger }) {
        if (!config.has(`auth.providers.${LOCAL_PROVIDER_ID}`)) {
          return;
        }
        assertLocalProviderAllowed(process.env);
        logger.warn(
          'Local sign-in is enabled (auth.providers.local): anyone who reaches this backend may sign in as any seeded user. Use it on your own machine only.',
        );
        providers.registerProvider({
          providerId: LOCAL_PROVIDER_ID,
          factory: createProxyAuthProviderFactory({
            authenticator: localAuthenticator,
            signInResolver: signInAsSeededUser,
          }),
        });
      },
    });
  },
});
