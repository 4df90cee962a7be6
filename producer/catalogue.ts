// Reference pools for the stream: products with categories and USD prices, customers
// with a home region, country, city and currency. Built once per seed with Faker.
import type * as FakerModule from '@faker-js/faker';
import { RATES_TO_USD, type Currency, type Region } from '../src/contract/reference';

export interface Product {
  product_id: string;
  product_name: string;
  category: string;
  price_usd: number;
}

export interface Customer {
  id: string;
  name: string;
  email: string;
  region: Region;
  country: string;
  city: string;
  currency: Currency;
}

const CATEGORIES: ReadonlyArray<readonly [string, number, number]> = [
  // category, min price USD, max price USD
  ['Electronics', 25, 1500], ['Home', 8, 400], ['Fashion', 10, 250], ['Sports', 12, 600],
  ['Books', 5, 60], ['Beauty', 6, 120], ['Toys', 8, 150], ['Grocery', 2, 40],
];

const GEOGRAPHY: Record<Region, { countries: ReadonlyArray<readonly [string, Currency]>; weight: number }> = {
  NORTH_AMERICA: { countries: [['United States', 'USD'], ['Canada', 'CAD']], weight: 35 },
  EUROPE: { countries: [['Germany', 'EUR'], ['France', 'EUR'], ['United Kingdom', 'GBP'], ['Spain', 'EUR']], weight: 30 },
  ASIA_PACIFIC: { countries: [['Japan', 'JPY'], ['Australia', 'AUD'], ['India', 'INR']], weight: 20 },
  SOUTH_AMERICA: { countries: [['Brazil', 'BRL'], ['Chile', 'USD']], weight: 9 },
  MIDDLE_EAST_AFRICA: { countries: [['United Arab Emirates', 'USD'], ['South Africa', 'USD']], weight: 6 },
};

export interface Catalogue {
  products: Product[];
  customers: Customer[];
}

export function buildCatalogue(seed: number, productCount = 240, customerCount = 6000): Catalogue {
  // Loaded here, not at import: faker costs about 200 ms to load, and every CLI command imports
  // this module through the producer's option defaults.
  const { Faker, en } = require('@faker-js/faker') as typeof FakerModule;
  const faker = new Faker({ locale: [en] });
  faker.seed(seed);
  const products: Product[] = [];
  for (let i = 0; i < productCount; i++) {
    const [category, lo, hi] = CATEGORIES[i % CATEGORIES.length]!;
    products.push({
      product_id: `P-${String(10000 + i)}`,
      product_name: faker.commerce.productName(),
      category,
      price_usd: Math.round(faker.number.float({ min: lo, max: hi }) * 100) / 100,
    });
  }
  const regions = Object.entries(GEOGRAPHY) as Array<[Region, (typeof GEOGRAPHY)[Region]]>;
  const totalWeight = regions.reduce((n, [, g]) => n + g.weight, 0);
  const customers: Customer[] = [];
  for (let i = 0; i < customerCount; i++) {
    let r = faker.number.float({ min: 0, max: totalWeight });
    let region = regions[0]!;
    for (const entry of regions) {
      if ((r -= entry[1].weight) < 0) {
        region = entry;
        break;
      }
    }
    const [country, currency] = faker.helpers.arrayElement(region[1].countries);
    const first = faker.person.firstName();
    const last = faker.person.lastName();
    customers.push({
      id: `CUST-${String(100000 + i)}`,
      name: `${first} ${last}`,
      email: faker.internet.email({ firstName: first, lastName: last }).toLowerCase(),
      region: region[0],
      country,
      city: faker.location.city(),
      currency,
    });
  }
  return { products, customers };
}

/** A USD price in the customer's currency, as the shop would show it (JPY and INR in whole units). */
export function localPrice(priceUsd: number, currency: Currency): number {
  const rate = Number(RATES_TO_USD[currency]);
  const local = priceUsd / rate;
  return currency === 'JPY' || currency === 'INR' ? Math.max(1, Math.round(local)) : Math.round(local * 100) / 100;
}
