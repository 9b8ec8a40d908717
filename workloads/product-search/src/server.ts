import { createServiceTelemetry } from '@securecart/shared/container-telemetry';
import { serve } from '@securecart/shared/http';
import catalog from '../data/catalog.json';
import { createSearchServer } from './app';
import { validateCatalog } from './catalog';
import { ProductIndex } from './search';

const telemetry = createServiceTelemetry('product-search', { register: true });
const index = new ProductIndex(validateCatalog(catalog));
void serve(createSearchServer(telemetry, index), telemetry);
