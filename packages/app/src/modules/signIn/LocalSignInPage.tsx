import { useState } from 'react';
import {
  Content,
  Header,
  InfoCard,
  Page,
  ProxiedSignInPage,
} from '@backstage/core-components';
import type { IdentityApi, SignInPageProps } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';

/** The users catalog/org.yaml seeds for the embedded default. */
export const SEEDED_USERS = [
  {
    name: 'guest',
    title: 'Guest operator',
    description: 'Platform team: platform admin, may do everything',
  },
  {
    name: 'alice',
    title: 'Alice',
    description: 'Team A: owns the Sovereigns she provisions',
  },
  {
    name: 'bob',
    title: 'Bob',
    description: 'Team B: owns the Sovereigns he provisions',
  },
];

/** Where the chosen user is remembered, so a reload signs in again; signing out forgets it. */
export const LOCAL_USER_STORAGE_KEY = 'catalyst:local-sign-in:user';

function remembered(): string | undefined {
  try {
    return window.localStorage.getItem(LOCAL_USER_STORAGE_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

function forget() {
  try {
    window.localStorage.removeItem(LOCAL_USER_STORAGE_KEY);
  } catch {
    // storage unavailable: nothing remembered
  }
}

/**
 * The embedded default's sign-in page: pick one of the seeded users. The token comes from the backend's `local`
 * provider (`/api/auth/local/refresh`, the same call an HTTP client makes with `?user=<name>`), so the portal
 * shows exactly what that user may see and do.
 */
export function LocalSignInPage(props: SignInPageProps) {
  const [user, setUser] = useState<string | undefined>(remembered);

  if (user) {
    return (
      <ProxiedSignInPage
        {...props}
        provider="local"
        headers={{ 'X-Catalyst-Local-User': user }}
        onSignInSuccess={(identity: IdentityApi) => {
          props.onSignInSuccess({
            getProfileInfo: () => identity.getProfileInfo(),
            getBackstageIdentity: () => identity.getBackstageIdentity(),
            getCredentials: () => identity.getCredentials(),
            signOut: async () => {
              forget();
              await identity.signOut();
            },
          });
        }}
        ErrorComponent={({ error }) => (
          <Page themeId="home">
            <Header title="Catalyst" subtitle={`Sign-in as ${user} failed`} />
            <Content>
              <Typography color="error" role="alert" paragraph>
                {error?.message ?? 'The sign-in failed'}
              </Typography>
              <Button
                variant="outlined"
                onClick={() => {
                  forget();
                  setUser(undefined);
                }}
              >
                Choose another user
              </Button>
            </Content>
          </Page>
        )}
      />
    );
  }

  return (
    <Page themeId="home">
      <Header title="Catalyst" subtitle="Sign in as one of the seeded users" />
      <Content>
        <Grid container spacing={2}>
          {SEEDED_USERS.map(u => (
            <Grid item xs={12} md={4} key={u.name}>
              <InfoCard title={u.title} subheader={`user:default/${u.name}`}>
                <Typography paragraph>{u.description}</Typography>
                <Button
                  variant="contained"
                  color="primary"
                  aria-label={`Sign in as ${u.name}`}
                  onClick={() => {
                    try {
                      window.localStorage.setItem(
                        LOCAL_USER_STORAGE_KEY,
                        u.name,
                      );
                    } catch {
                      // not remembered across reloads
                    }
                    setUser(u.name);
                  }}
                >
                  Sign in as {u.name}
                </Button>
              </InfoCard>
            </Grid>
          ))}
        </Grid>
      </Content>
    </Page>
  );
}
