"""The risk event library: losses and near misses, quarterly collection, review meetings, calibration."""
