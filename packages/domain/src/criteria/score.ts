// Scoring is shared with the web page (live score), so it lives with the contracts; the domain re-exports it.
export { allCriteria, type ScorableSet, type ScoreOptions, type ScoreResult, scoreAssessment } from '@hts/contracts';
