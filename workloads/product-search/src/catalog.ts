export interface Product {
  id: string;
  name: string;
  category: string;
  /** Minor units of `currency`. */
  price: number;
  currency: string;
  tags: string[];
  description: string;
}

/** Checks the bundled catalog once at start-up, so a bad edit fails loudly instead of mis-ranking. */
export function validateCatalog(products: readonly Product[]): Product[] {
  const ids = new Set<string>();
  for (const [i, p] of products.entries()) {
    const where = `catalog[${i}] (${p.id})`;
    if (ids.has(p.id)) throw new Error(`${where}: duplicate id`);
    ids.add(p.id);
    if (!p.name || !p.category) throw new Error(`${where}: name and category are required`);
    if (!Number.isInteger(p.price) || p.price <= 0)
      throw new Error(`${where}: price must be a positive integer`);
  }
  return [...products];
}
