package io.entrenar.tracking;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;

import io.entrenar.events.CostMetrics;
import io.entrenar.events.EnergyMetrics;
import io.entrenar.events.Platform;

/**
 * What one run cost in energy, money and carbon (spec 22), for its {@code RunFinished}. Energy is
 * measured from RAPL when the machine exposes it ({@code /sys/class/powercap/intel-rapl:N/energy_uj},
 * the CPU packages, so every process on the machine counts), else estimated from the process's CPU
 * time over the run times {@code energy.cpu.watts.per.core} (flagged {@code measured = false}).
 * Cost is the platform's hourly rate times the wall time, plus kWh times {@code energy.price.usd.per.kwh}
 * when set; carbon is kWh times the grid intensity (the platform's, else
 * {@code carbon.intensity.g.per.kwh}). What cannot be known stays null: never $0.
 */
final class RunFootprint {
    private static final double JOULES_PER_KWH = 3.6e6;

    /** The settings of {@link TrackerConfig} the footprint needs. */
    record Settings(double wattsPerCore, double pue, Double pricePerKwh, Double carbonPerKwh) {
    }

    private final Settings settings;
    private final Double hourlyRateUsd;
    private final Double carbonPerKwh;
    private final long cpuNanosAtStart;
    private final RaplMeter rapl;

    private RunFootprint(Settings settings, Platform platform, RaplMeter rapl) {
        this.settings = settings;
        this.hourlyRateUsd = platform == null ? null : platform.getHourlyRateUsd();
        this.carbonPerKwh = platform != null && platform.getCarbonIntensityGPerKwh() != null
                ? platform.getCarbonIntensityGPerKwh() : settings.carbonPerKwh();
        this.cpuNanosAtStart = processCpuNanos();
        this.rapl = rapl;
    }

    static RunFootprint start(Settings settings, Platform platform) {
        return new RunFootprint(settings, platform, RaplMeter.open());
    }

    /** With another powercap root: RAPL as a test lays it out. */
    static RunFootprint start(Settings settings, Platform platform, Path powercap) {
        return new RunFootprint(settings, platform, RaplMeter.open(powercap));
    }

    /** The run's energy over {@code wallMicros}, or null when neither RAPL nor the process CPU time can be read. */
    EnergyMetrics energy(long wallMicros) {
        double joules;
        boolean measured;
        if (rapl != null) {
            joules = rapl.sample();
            measured = true;
        } else {
            long cpuNow = processCpuNanos();
            if (cpuNanosAtStart < 0 || cpuNow < 0) {
                return null;
            }
            joules = (cpuNow - cpuNanosAtStart) / 1e9 * settings.wattsPerCore();
            measured = false;
        }
        double seconds = Math.max(wallMicros, 1) / 1e6;
        double kwh = joules * settings.pue() / JOULES_PER_KWH;
        double watts = joules / seconds;
        return EnergyMetrics.newBuilder().setWattsAvg(watts).setWattsPeak(watts).setJoulesTotal(joules).setKwhTotal(kwh)
                .setCarbonGrams(carbonPerKwh == null ? null : kwh * carbonPerKwh).setPue(settings.pue()).setMeasured(measured).build();
    }

    /** The run's cost, or null when neither an hourly rate nor an energy price is known. */
    CostMetrics cost(long wallMicros, EnergyMetrics energy) {
        Double compute = hourlyRateUsd == null ? null : wallMicros / 3.6e9 * hourlyRateUsd;
        Double power = settings.pricePerKwh() == null || energy == null ? null : energy.getKwhTotal() * settings.pricePerKwh();
        if (compute == null && power == null) {
            return null;
        }
        double total = (compute == null ? 0 : compute) + (power == null ? 0 : power);
        return CostMetrics.newBuilder().setComputeCostUsd(total).setTotalCostUsd(total).build();
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }
}
