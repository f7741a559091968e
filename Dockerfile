# One image for every Entrenar app: `docker run entrenar processors|sink|alerting|topics|...`.
FROM maven:3.9-eclipse-temurin-25 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -DskipTests package -pl cli -am

FROM eclipse-temurin:25-jre
# curl for the compose health checks against /health/ready.
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /var/lib/entrenar --create-home entrenar
COPY --from=build /src/cli/target/entrenar-cli.jar /opt/entrenar/entrenar-cli.jar
COPY --from=build /src/cli/target/lib /opt/entrenar/lib
USER entrenar
WORKDIR /var/lib/entrenar
ENV ENTRENAR_OPS_HOST=0.0.0.0
EXPOSE 9400
ENTRYPOINT ["java", "--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED", "-jar", "/opt/entrenar/entrenar-cli.jar"]
