package io.entrenar.processors;

/** Budget and quality target for best-for-budget and cheapest-for-quality (spec 24); null = not computed. */
record LeaderboardSettings(Double budgetUsd, Double qualityTarget, int maxEntries) {
    LeaderboardSettings {
        if (budgetUsd != null && !(budgetUsd >= 0)) {
            throw new IllegalArgumentException("the leaderboard budget must be zero or positive, got " + budgetUsd);
        }
        if (maxEntries < 1) {
            throw new IllegalArgumentException("a leaderboard holds at least one entry, got " + maxEntries);
        }
    }

    static LeaderboardSettings defaults() {
        return new LeaderboardSettings(null, null, 1000);
    }
}
