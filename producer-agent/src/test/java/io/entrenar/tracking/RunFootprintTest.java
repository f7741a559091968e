package io.entrenar.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.entrenar.events.CostMetrics;
import io.entrenar.events.EnergyMetrics;
import io.entrenar.events.Platform;
import io.entrenar.events.PlatformKind;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run's energy, cost and carbon: RAPL where readable, else CPU time x watts per core; unknown stays null. */
class RunFootprintTest {
    private static final RunFootprint.Settings DEFAULTS = new RunFootprint.Settings(10.0, 1.0, null, null);

    @TempDir
    Path powercap;

    @Test
    void raplWhereReadableGivesMeasuredEnergyAndThePlatformGivesCostAndCarbon() throws IOException {
        Path pkg = Files.createDirectories(powercap.resolve("intel-rapl:0"));
        Path core = Files.createDirectories(powercap.resolve("intel-rapl:0:0")); // inside the package: not counted again
        Files.writeString(pkg.resolve("energy_uj"), "1000000\n");
        Files.writeString(core.resolve("energy_uj"), "999999999\n");
        Platform platform = Platform.newBuilder().setKind(PlatformKind.SERVER).setHourlyRateUsd(3.6).setCarbonIntensityGPerKwh(400.0).build();
        RunFootprint footprint = RunFootprint.start(new RunFootprint.Settings(10.0, 1.5, 0.36, null), platform, powercap);
        Files.writeString(pkg.resolve("energy_uj"), "4600000\n"); // 3.6 J later

        EnergyMetrics e = footprint.energy(2_000_000);
        assertTrue(e.getMeasured());
        assertEquals(3.6, e.getJoulesTotal(), 1e-9);
        assertEquals(1.8, e.getWattsAvg(), 1e-9);
        assertEquals(3.6 * 1.5 / 3.6e6, e.getKwhTotal(), 1e-15, "PUE applied");
        assertEquals(e.getKwhTotal() * 400, e.getCarbonGrams(), 1e-12, "the platform's grid intensity");
        CostMetrics c = footprint.cost(2_000_000, e);
        assertEquals(2 / 3600.0 * 3.6 + e.getKwhTotal() * 0.36, c.getTotalCostUsd(), 1e-12, "2 s at $3.60/h plus the energy at $0.36/kWh");
    }

    @Test
    void withoutRaplTheEnergyIsEstimatedFromCpuTimeAndUnknownCostAndCarbonStayNull() {
        RunFootprint footprint = RunFootprint.start(DEFAULTS, null, powercap);
        long t0 = System.nanoTime();
        double sink = 0;
        while (System.nanoTime() - t0 < 200_000_000L) { // 0.2 s of CPU on this thread
            sink += Math.sqrt(sink + 1);
        }
        EnergyMetrics e = footprint.energy((System.nanoTime() - t0) / 1000);
        assertFalse(e.getMeasured(), "an estimate says so");
        assertTrue(e.getJoulesTotal() >= 0.1 * 10.0 && e.getJoulesTotal() < 60, "about 0.2 CPU s x 10 W: " + e.getJoulesTotal() + " (" + sink + ")");
        assertNull(e.getCarbonGrams(), "no grid intensity known: no carbon, not 0");
        assertNull(footprint.cost(1_000_000, e), "no rate, no price: no cost, not $0");
    }

    @Test
    void badPricesFailTheConfigNamingTheKey() {
        ConfigException bad = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> new TrackerConfig(Map.of(TrackerConfig.ENERGY_PRICE_USD_PER_KWH_CONFIG, "cheap")));
        assertTrue(bad.getMessage().contains(TrackerConfig.ENERGY_PRICE_USD_PER_KWH_CONFIG), bad.getMessage());
        assertEquals(new RunFootprint.Settings(10.0, 1.0, 0.2, 350.0), new TrackerConfig(Map.of(
                TrackerConfig.ENERGY_PRICE_USD_PER_KWH_CONFIG, "0.2", TrackerConfig.CARBON_INTENSITY_CONFIG, "350")).footprint());
    }
}
