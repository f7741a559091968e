package io.entrenar.trainer.listen;

import java.util.List;
import java.util.Map;

/**
 * What a run is: its resolved parameters (every config leaf, defaults included), tags, lineage parents
 * and the sha256 of the exact data it trained on.
 *
 * @param resumedFromStep the checkpoint step this run continues from, or 0 for a fresh start
 * @param sweepId the sweep this run is a trial of, or null
 */
public record RunStart(String runId, String name, String configPath, String arch, Map<String, String> params,
        Map<String, String> tags, List<LineageParent> parents, String datasetName, String datasetSha256,
        long seed, String sweepId, int trial, long resumedFromStep, long plannedSteps) {
    public RunStart {
        params = Map.copyOf(params);
        tags = Map.copyOf(tags);
        parents = List.copyOf(parents);
    }
}
