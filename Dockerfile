# KOSMOS Dashboard container image. Build from the repository root: docker build -t kosmos-dashboard .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/ src/
COPY wwwroot-assets/ wwwroot-assets/
# The image carries no simulator: without the embedded one (KosmosEmbeddedSimulator=false) the output has no Kosmos.KubeSim
# assembly, with its shell and tar, and no demo manifests; the build fails if any slipped in (deploy/check-production-publish.sh
# checks the same outside Docker).
RUN dotnet publish src/Kosmos.Dashboard/Kosmos.Dashboard.csproj -c Release -p:KosmosEmbeddedSimulator=false -o /app --nologo \
    && if find /app -iname '*KubeSim*' | grep -q . || grep -q Kosmos.KubeSim /app/Kosmos.Dashboard.deps.json; then \
         echo "the production publish holds the simulator" >&2; exit 1; fi

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app ./
# In a cluster the dashboard uses its service account (Kosmos:Cluster:Mode=InCluster via Auto).
ENV ASPNETCORE_URLS=http://+:8080 \
    ASPNETCORE_ENVIRONMENT=Production
USER app
EXPOSE 8080
ENTRYPOINT ["dotnet", "Kosmos.Dashboard.dll"]
