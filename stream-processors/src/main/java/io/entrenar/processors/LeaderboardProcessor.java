package io.entrenar.processors;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.entrenar.events.BenchmarkKey;
import io.entrenar.events.LeaderboardEntry;
import io.entrenar.events.RunEvent;
import io.entrenar.events.RunFinished;
import io.entrenar.events.RunStarted;
import io.entrenar.events.RunStatus;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Pareto leaderboards per benchmark key (spec 24): dataset, task and quality metric, so that runs
 * compare like with like whatever their benchmark is called. {@link Contenders} (keyed by run)
 * remembers what a run competes on and, when it completes, sends its summary re-keyed by board;
 * this processor (keyed by board) keeps the board, recomputes the frontiers and emits every run's entry,
 * keyed by run id, to the compacted leaderboard topic.
 */
final class LeaderboardProcessor implements Processor<String, LeaderboardProcessor.Contender, String, SpecificRecord> {
    static final String RUNS_STORE = "leaderboard-runs";
    static final String BOARDS_STORE = "leaderboard-boards";

    private final LeaderboardSettings settings;
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, Board> boards;

    LeaderboardProcessor(LeaderboardSettings settings) {
        this.settings = settings;
    }

    /** A run on a benchmark; quality etc. are filled in when it completes. JSON in stores and on the repartition topic. */
    static final class Contender {
        String runId;
        String benchmark;
        String dataset;
        String task;
        String model;
        String paradigm;
        String device;
        String qualityMetric;
        boolean higherIsBetter = true;
        double quality = Double.NaN;
        Double costUsd;
        Double energyKwh;
        Double latencyP50Ms;
        long lamport;
        long finishedMicros;
    }

    /** The runs of one benchmark. */
    static final class Board {
        List<Contender> runs = new ArrayList<>();
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.boards = context.getStateStore(BOARDS_STORE);
    }

    @Override
    public void process(Record<String, Contender> record) {
        Contender c = record.value();
        String boardKey = boardKey(c);
        Board board = boards.get(boardKey);
        if (board == null) {
            board = new Board();
        }
        board.runs.removeIf(r -> r.runId.equals(c.runId));
        board.runs.add(c);
        if (board.runs.size() > settings.maxEntries()) {
            // Keep the best by quality; the board is a ranking, the rest remains in ClickHouse.
            board.runs.sort(Comparator.comparingDouble((Contender r) -> oriented(r, r.quality)).reversed());
            board.runs = new ArrayList<>(board.runs.subList(0, settings.maxEntries()));
        }
        boards.put(boardKey, board);
        Map<String, Contender> byRun = new HashMap<>();
        List<ParetoFrontier.Point> points = new ArrayList<>();
        for (Contender r : board.runs) {
            byRun.put(r.runId, r);
            points.add(new ParetoFrontier.Point(r.runId, oriented(r, r.quality), orInf(r.costUsd), orInf(r.energyKwh), orInf(r.latencyP50Ms)));
        }
        Double target = settings.qualityTarget() == null ? null : oriented(c, settings.qualityTarget());
        for (ParetoFrontier.Standing s : ParetoFrontier.analyse(points, settings.budgetUsd(), target)) {
            Contender r = byRun.get(s.runId());
            LeaderboardEntry entry = LeaderboardEntry.newBuilder()
                    .setEventId(StoreKeys.uuid("leaderboard", r.benchmark, r.runId, Long.toString(c.lamport), c.runId))
                    .setRunId(r.runId)
                    .setTsMicros(Instant.EPOCH.plusNanos(c.finishedMicros * 1000))
                    .setLamport(Math.max(r.lamport, c.lamport))
                    .setBenchmark(r.benchmark)
                    .setDataset(r.dataset)
                    .setTask(r.task)
                    .setModel(r.model)
                    .setParadigm(r.paradigm)
                    .setDevice(r.device)
                    .setQualityMetric(r.qualityMetric)
                    .setQuality(r.quality)
                    .setCostUsd(r.costUsd)
                    .setEnergyKwh(r.energyKwh)
                    .setLatencyP50Ms(r.latencyP50Ms)
                    .setRank(s.rank())
                    .setEfficiencyScore(r.costUsd != null && r.costUsd > 0 ? r.quality / r.costUsd : null)
                    .setParetoOptimal(s.optimal2d())
                    .setParetoOptimalNd(s.optimalNd())
                    .setDominatedBy(s.dominatedBy())
                    .setBestForBudget(s.bestForBudget())
                    .setCheapestForQuality(s.cheapestForQuality())
                    .setBudgetUsd(settings.budgetUsd())
                    .setQualityTarget(settings.qualityTarget())
                    .build();
            context.forward(new Record<>(r.runId, entry, record.timestamp()));
        }
    }

    static String boardKey(Contender c) {
        return StoreKeys.of(c.dataset, c.task, c.qualityMetric);
    }

    private static double oriented(Contender r, double quality) {
        return r.higherIsBetter ? quality : -quality;
    }

    private static double orInf(Double v) {
        return v == null || v.isNaN() ? Double.POSITIVE_INFINITY : v;
    }

    /** Keyed by run: remembers the benchmark from RunStarted, sends the completed run's summary keyed by benchmark. */
    static final class Contenders implements Processor<String, SpecificRecord, String, Contender> {
        private final LeaderboardSettings settings;
        private ProcessorContext<String, Contender> context;
        private KeyValueStore<String, Contender> runs;

        Contenders(LeaderboardSettings settings) {
            this.settings = settings;
        }

        @Override
        public void init(ProcessorContext<String, Contender> context) {
            this.context = context;
            this.runs = context.getStateStore(RUNS_STORE);
        }

        @Override
        public void process(Record<String, SpecificRecord> record) {
            if (!(record.value() instanceof RunEvent run)) {
                return;
            }
            if (run.getPayload() instanceof RunStarted started && started.getBenchmark() != null) {
                runs.put(run.getRunId(), contender(run.getRunId(), started));
            } else if (run.getPayload() instanceof RunFinished finished) {
                Contender c = runs.get(run.getRunId());
                if (c == null) {
                    return;
                }
                runs.delete(run.getRunId());
                Double quality = finished.getSummary().get(c.qualityMetric);
                if (finished.getStatus() != RunStatus.COMPLETED || quality == null || !Double.isFinite(quality)) {
                    return;
                }
                c.quality = quality;
                c.costUsd = finished.getCost() != null ? Double.valueOf(finished.getCost().getTotalCostUsd()) : finished.getSummary().get("cost_usd");
                c.energyKwh = finished.getEnergy() != null ? Double.valueOf(finished.getEnergy().getKwhTotal()) : finished.getSummary().get("energy_kwh");
                c.latencyP50Ms = finished.getLatencyP50Ms() != null ? finished.getLatencyP50Ms() : finished.getSummary().get("latency_p50_ms");
                c.lamport = run.getLamport();
                Instant ts = run.getTsMicros();
                c.finishedMicros = ts.getEpochSecond() * 1_000_000L + ts.getNano() / 1000;
                context.forward(new Record<>(boardKey(c), c, record.timestamp()));
            }
        }

        private static Contender contender(String runId, RunStarted started) {
            BenchmarkKey key = started.getBenchmark();
            Contender c = new Contender();
            c.runId = runId;
            c.benchmark = key.getName();
            c.dataset = key.getDataset();
            c.task = key.getTask();
            c.qualityMetric = key.getQualityMetric();
            c.higherIsBetter = key.getHigherIsBetter();
            c.model = modelOf(started);
            if (started.getParadigm() != null) {
                c.paradigm = started.getParadigm().getType().name();
            }
            if (started.getDevice() != null) {
                // The class of hardware a cost compares across (spec 24.3: CPU, GPU); a GPU's model too, as
                // GPU models differ by an order of magnitude. The CPU model stays on the run.
                var d = started.getDevice();
                c.device = d.getType() == io.entrenar.events.DeviceType.GPU && d.getModel() != null ? d.getModel() : d.getType().name();
            }
            return c;
        }

        private static String modelOf(RunStarted started) {
            String model = started.getParams().get("model");
            if (model != null) {
                return model;
            }
            if (started.getParadigm() != null && started.getParadigm().getAlgorithm() != null) {
                return started.getParadigm().getAlgorithm();
            }
            return started.getRunName();
        }
    }
}
