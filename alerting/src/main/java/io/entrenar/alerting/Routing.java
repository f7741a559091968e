package io.entrenar.alerting;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.entrenar.events.Alert;

/** Where alerts go: named channels, and routes that pick channels by what an alert is about. */
record Routing(Map<String, Channel> channels, List<Route> routes) {

    /** The channels an alert goes to, each once, in route order. */
    Set<Channel> channelsFor(Alert alert) {
        Set<Channel> matched = new LinkedHashSet<>();
        for (Route route : routes) {
            if (route.match().matches(alert)) {
                route.channels().forEach(name -> matched.add(channels.get(name)));
            }
        }
        return matched;
    }

    enum ChannelType { WEBHOOK, SLACK, STDERR }

    /** One destination with its delivery policy. */
    record Channel(String name, ChannelType type, String url, String secret, Duration timeout,
                   RetryPolicy retry, RateLimit rateLimit, BreakerPolicy breaker) {

        /**
         * The URL as logs and dead letters show it: scheme, host and port only. Webhook URLs carry
         * their credential in the path (Slack's {@code /services/T…/B…/token}), the query or the
         * user info, none of which may reach a log.
         */
        String shownUrl() {
            try {
                java.net.URI u = java.net.URI.create(url);
                boolean hidden = u.getRawPath() != null && !u.getRawPath().isEmpty() && !u.getRawPath().equals("/")
                        || u.getRawQuery() != null || u.getRawUserInfo() != null;
                return u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort()) + (hidden ? "/…" : "");
            } catch (IllegalArgumentException e) {
                return "(an unparseable URL)";
            }
        }
    }

    record Route(String name, Match match, List<String> channels) {
    }

    /** Empty sets match anything; tags must all be present with equal values. */
    record Match(Set<String> severities, Set<String> rules, Set<String> experiments, Map<String, String> tags) {
        boolean matches(Alert alert) {
            return (severities.isEmpty() || severities.contains(alert.getSeverity().name()))
                    && (rules.isEmpty() || rules.contains(alert.getRule()))
                    && (experiments.isEmpty() || (alert.getExperimentId() != null && experiments.contains(alert.getExperimentId())))
                    && tags.entrySet().stream().allMatch(t -> t.getValue().equals(alert.getTags().get(t.getKey())));
        }
    }

    /** Exponential backoff with jitter, bounded by attempts and by elapsed time. */
    record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, double multiplier,
                       double jitter, Duration maxElapsed) {
        static final RetryPolicy DEFAULT = new RetryPolicy(10, Duration.ofMillis(250), Duration.ofSeconds(30), 2.0, 0.5,
                Duration.ofMinutes(15));

        /**
         * Delay before attempt {@code attempt + 1} (attempt counts from 1): the exponential step,
         * minus up to {@code jitter} of it, so that many senders retrying together spread out.
         */
        Duration backoff(int attempt, double random01) {
            double base = initialBackoff.toMillis() * Math.pow(multiplier, attempt - 1);
            double capped = Math.min(base, maxBackoff.toMillis());
            return Duration.ofMillis(Math.round(capped * (1.0 - jitter * random01)));
        }
    }

    /** Token bucket: {@code perSecond} sustained, bursts up to {@code burst}. */
    record RateLimit(double perSecond, int burst) {
        static final RateLimit DEFAULT = new RateLimit(20, 20);
    }

    /** Open after {@code failureThreshold} consecutive failures, for {@code openFor}, then one probe. */
    record BreakerPolicy(int failureThreshold, Duration openFor) {
        static final BreakerPolicy DEFAULT = new BreakerPolicy(5, Duration.ofSeconds(30));
    }
}
