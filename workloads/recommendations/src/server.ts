import { createServiceTelemetry } from '../../shared/container-telemetry';
import { serve } from '../../shared/http';
import data from '../data/baskets.json';
import { createRecommendationsServer, SERVICE_NAME } from './app';
import { Recommender } from './recommender';

const telemetry = createServiceTelemetry(SERVICE_NAME, { register: true });
void serve(createRecommendationsServer(telemetry, new Recommender(data)), telemetry);
