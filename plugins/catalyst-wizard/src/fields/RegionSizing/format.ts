import type { NodeSku } from '@catalyst/plugin-catalyst-common';

export function skuLabel(sku: NodeSku, currency: string): string {
  const disk =
    typeof sku.diskGb === 'number' ? `${sku.diskGb} GB disk` : sku.diskGb;
  return `${sku.id} — ${sku.vcpu} vCPU · ${
    sku.memoryGb
  } GB RAM · ${disk} · ${sku.priceHour.toFixed(4)} ${currency}/hr`;
}

export const money = (v: number) =>
  new Intl.NumberFormat('en-IE', { style: 'currency', currency: 'EUR' }).format(
    v,
  );
