export { SovereignReview } from './SovereignReview';
