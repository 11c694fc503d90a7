# KOSMOS Dashboard container image. Build from the repository root: docker build -t kosmos-dashboard .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/ src/
COPY wwwroot-assets/ wwwroot-assets/
COPY deploy/agents/ deploy/agents/
RUN dotnet publish src/Kosmos.Dashboard/Kosmos.Dashboard.csproj -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app ./
# In a cluster the dashboard uses its service account (Kosmos:Cluster:Mode=InCluster via Auto).
ENV ASPNETCORE_URLS=http://+:8080 \
    ASPNETCORE_ENVIRONMENT=Production
USER app
EXPOSE 8080
ENTRYPOINT ["dotnet", "Kosmos.Dashboard.dll"]
