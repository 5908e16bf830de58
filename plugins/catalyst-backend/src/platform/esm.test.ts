import { KubeConfig, Watch } from '@kubernetes/client-node';
it('loads', () => {
  const kc = new KubeConfig();
  expect(Watch).toBeDefined();
  expect(kc).toBeDefined();
});
