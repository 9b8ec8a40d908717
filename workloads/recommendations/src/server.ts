import { createServiceTelemetry } from '@securecart/shared/container-telemetry';
import { serve } from '@securecart/shared/http';
import data from '../data/baskets.json';
import { createRecommendationsServer, SERVICE_NAME } from './app';
import { Recommender } from './recommender';

const telemetry = createServiceTelemetry(SERVICE_NAME, { register: true });
void serve(createRecommendationsServer(telemetry, new Recommender(data)), telemetry);
