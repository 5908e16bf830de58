import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { HomePageLayoutBlueprint } from '@backstage/plugin-home-react/alpha';

/** Home is Catalyst's start page (not an empty, editable widget grid). */
const catalystHomeLayout = HomePageLayoutBlueprint.make({
  name: 'catalyst',
  params: {
    loader: async () => {
      const { CatalystHome } = await import('./CatalystHome');
      return () => <CatalystHome />;
    },
  },
});

export const homeModule = createFrontendModule({
  pluginId: 'home',
  extensions: [catalystHomeLayout],
});
