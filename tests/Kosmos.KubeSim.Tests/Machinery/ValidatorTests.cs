using System.Text.Json.Nodes;
using Kosmos.KubeSim.Machinery;
using Kosmos.TestSupport;

namespace Kosmos.KubeSim.Tests.Machinery;

public sealed class ValidatorTests
{
    private const string QuantityRegex = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
    private const string Container0 = "/spec/template/spec/containers/0";
    private const string Container0Path = "spec.template.spec.containers[0]";

    public static TheoryData<string> RealPodNames => [.. RealPodFiles.Names];

    public static TheoryData<string> Kinds => [.. Fixtures.ByKind.Keys];

    [Theory]
    [MemberData(nameof(RealPodNames))]
    public void Validate_RealClusterPodUnderStrict_IsAccepted(string name)
    {
        var result = Validator.Validate("Pod", Fixtures.Parse(RealPodFiles.Json(name)), ValidationMode.Strict);

        Assert.Empty(result.UnknownFields);
        Assert.Empty(result.DecodeErrors);
        Assert.Empty(result.Errors);
        Assert.True(result.IsValid, result.Message);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Validate_ValidObjectOfEachKind_IsAcceptedUnderStrict(string kind)
    {
        var result = Validator.Validate(kind, Fixtures.Parse(Fixtures.ByKind[kind]), ValidationMode.Strict);

        Assert.True(result.IsValid, result.Message + string.Join("; ", result.Errors));
        Assert.Equal(200, result.Code);
        Assert.Equal("", result.Message);
        Assert.Null(result.ToStatus());
    }

    [Fact]
    public void Validate_MisspelledContainerFieldUnderStrict_IsBadRequestNamingThePath()
    {
        var deployment = Mutate(Fixtures.Deployment(), $$"""[{"op":"move","from":"{{Container0}}/image","path":"{{Container0}}/imagee"}]""");

        var result = Validator.Validate("Deployment", deployment, ValidationMode.Strict);

        Assert.Equal(["spec.template.spec.containers[0].imagee"], result.UnknownFields);
        Assert.Equal(400, result.Code);
        Assert.Equal("BadRequest", result.Reason);
        Assert.Equal(
            "Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding error: unknown field \"spec.template.spec.containers[0].imagee\"",
            result.Message);
    }

    [Fact]
    public void Validate_SeveralUnknownFieldsUnderStrict_ListsEachInDocumentOrder()
    {
        var deployment = Mutate(Fixtures.Deployment(), """[{"op":"add","path":"/spec/foo","value":1},{"op":"add","path":"/metadata/labelz","value":{}},{"op":"add","path":"/spec/template/spec/volumes/0/persistentVolumeClaim/claim","value":"x"}]""");

        var result = Validator.Validate("Deployment", deployment, ValidationMode.Strict);

        // Document order, as Go's decoder meets them (spec.foo was appended after spec.template).
        Assert.Equal(["metadata.labelz", "spec.template.spec.volumes[0].persistentVolumeClaim.claim", "spec.foo"], result.UnknownFields);
        Assert.EndsWith("strict decoding error: unknown field \"metadata.labelz\", unknown field \"spec.template.spec.volumes[0].persistentVolumeClaim.claim\", unknown field \"spec.foo\"", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UnknownFieldsUnderWarn_AreWarningsAndRequestIsAccepted()
    {
        var deployment = Mutate(Fixtures.Deployment(), """[{"op":"add","path":"/spec/foo","value":1}]""");

        var result = Validator.Validate("Deployment", deployment, ValidationMode.Warn);

        Assert.True(result.IsValid);
        Assert.Equal(["unknown field \"spec.foo\""], result.Warnings);
        Assert.Equal(["spec.foo"], result.UnknownFields);
    }

    [Fact]
    public void Validate_UnknownFieldsUnderIgnore_AreNeitherErrorsNorWarnings()
    {
        var deployment = Mutate(Fixtures.Deployment(), """[{"op":"add","path":"/spec/foo","value":1}]""");

        var result = Validator.Validate("Deployment", deployment, ValidationMode.Ignore);

        Assert.True(result.IsValid);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void PruneUnknownFields_ObjectWithUnknownFields_DropsOnlyThose()
    {
        var deployment = Mutate(Fixtures.Deployment(), $$"""[{"op":"add","path":"/spec/foo","value":1},{"op":"add","path":"{{Container0}}/imagee","value":"x"}]""");

        var pruned = Validator.PruneUnknownFields("Deployment", deployment);

        Assert.True(JsonNode.DeepEquals(Fixtures.Deployment(), pruned), pruned.ToJsonString());
        Assert.NotNull(deployment["spec"]!["foo"]);
    }

    [Theory]
    [InlineData("""[{"op":"replace","path":"/spec/replicas","value":"3"}]""", "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32")]
    [InlineData("""[{"op":"replace","path":"/spec/replicas","value":1.5}]""", "json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32")]
    [InlineData("""[{"op":"replace","path":"/spec/template/spec/containers","value":{"name":"x"}}]""", "json: cannot unmarshal object into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container")]
    [InlineData("""[{"op":"replace","path":"/spec/template/spec/containers/0/name","value":7}]""", "json: cannot unmarshal number into Go struct field Container.spec.template.spec.containers.name of type string")]
    [InlineData("""[{"op":"add","path":"/metadata/labels/count","value":3}]""", "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string")]
    [InlineData("""[{"op":"add","path":"/spec/paused","value":"yes"}]""", "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.paused of type bool")]
    public void Validate_WrongJsonType_IsBadRequestInGoWording(string mutation, string expectedDecodeError)
    {
        var deployment = Mutate(Fixtures.Deployment(), mutation);

        var result = Validator.Validate("Deployment", deployment, ValidationMode.Strict);

        Assert.Equal(400, result.Code);
        Assert.Equal(expectedDecodeError, result.DecodeErrors[0]);
        Assert.Equal($"Deployment in version \"v1\" cannot be handled as a Deployment: {expectedDecodeError}", result.Message);
    }

    [Fact]
    public void Validate_SecretDataNotBase64_IsBadRequest()
    {
        var secret = Mutate(Fixtures.Parse(Fixtures.SecretJson), """[{"op":"replace","path":"/data/api-key","value":"not base64!"}]""");

        var result = Validator.Validate("Secret", secret, ValidationMode.Strict);

        Assert.Equal(400, result.Code);
        Assert.Equal("Secret in version \"v1\" cannot be handled as a Secret: illegal base64 data at input byte 3", result.Message);
    }

    [Fact]
    public void Validate_MalformedMemoryLimit_IsInvalidWithServerMessageAndCause()
    {
        var deployment = Mutate(Fixtures.Deployment(), $$"""[{"op":"replace","path":"{{Container0}}/resources/limits/memory","value":"2Gx"}]""");

        var result = Validator.Validate("Deployment", deployment, ValidationMode.Strict);

        Assert.Equal(422, result.Code);
        Assert.Equal("Invalid", result.Reason);
        Assert.Equal(
            $"Deployment.apps \"research-agent\" is invalid: {Container0Path}.resources.limits[memory]: Invalid value: \"2Gx\": {QuantityRegex}",
            result.Message);
        var status = result.ToStatus()!;
        Assert.Equal(422, status["code"]!.GetValue<int>());
        Assert.Equal("Failure", status["status"]!.GetValue<string>());
        Assert.Equal("apps", status["details"]!["group"]!.GetValue<string>());
        Assert.Equal("Deployment", status["details"]!["kind"]!.GetValue<string>());
        Assert.Equal("research-agent", status["details"]!["name"]!.GetValue<string>());
        Fixtures.AssertJsonEqual(
            $$"""[{"reason":"FieldValueInvalid","message":"Invalid value: \"2Gx\": {{QuantityRegex}}","field":"{{Container0Path}}.resources.limits[memory]"}]""",
            status["details"]!["causes"]);
    }

    [Fact]
    public void Validate_SeveralInvalidFields_AggregatesMessagesInBrackets()
    {
        var deployment = Mutate(Fixtures.Deployment(), $$"""[{"op":"replace","path":"/spec/replicas","value":-1},{"op":"remove","path":"{{Container0}}/image"}]""");

        var result = Validator.Validate("Deployment", deployment, ValidationMode.Strict);

        Assert.Equal(
            $"Deployment.apps \"research-agent\" is invalid: [spec.replicas: Invalid value: -1: must be greater than or equal to 0, {Container0Path}.image: Required value]",
            result.Message);
    }

    public static TheoryData<string, string, string, string, string> InvalidCases => new()
    {
        // kind, JSON patch applied to the valid fixture, expected field, expected reason, expected message
        { "Deployment", """[{"op":"remove","path":"/metadata/name"}]""", "metadata.name", "FieldValueRequired", "Required value: name or generateName is required" },
        { "Deployment", """[{"op":"replace","path":"/metadata/name","value":"Research_Agent"}]""", "metadata.name", "FieldValueInvalid", "Invalid value: \"Research_Agent\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')" },
        { "Deployment", """[{"op":"add","path":"/metadata/labels/app","value":"-x-"}]""", "metadata.labels", "FieldValueInvalid", "Invalid value: \"-x-\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')" },
        { "Deployment", """[{"op":"replace","path":"/spec/replicas","value":-1}]""", "spec.replicas", "FieldValueInvalid", "Invalid value: -1: must be greater than or equal to 0" },
        { "Deployment", """[{"op":"replace","path":"/spec/template/spec/containers","value":[]}]""", "spec.template.spec.containers", "FieldValueRequired", "Required value" },
        { "Deployment", """[{"op":"remove","path":"/spec/template/spec/containers/0/name"}]""", "spec.template.spec.containers[0].name", "FieldValueRequired", "Required value" },
        { "Deployment", """[{"op":"remove","path":"/spec/template/spec/containers/0/image"}]""", "spec.template.spec.containers[0].image", "FieldValueRequired", "Required value" },
        { "Deployment", """[{"op":"replace","path":"/spec/template/spec/containers/1/name","value":"agent"}]""", "spec.template.spec.containers[1].name", "FieldValueDuplicate", "Duplicate value: \"agent\"" },
        { "Deployment", """[{"op":"replace","path":"/spec/template/spec/containers/0/resources/limits/memory","value":"2Gx"}]""", "spec.template.spec.containers[0].resources.limits[memory]", "FieldValueInvalid", $"Invalid value: \"2Gx\": {QuantityRegex}" },
        { "Deployment", """[{"op":"replace","path":"/spec/template/spec/containers/0/resources/requests/cpu","value":"--1"}]""", "spec.template.spec.containers[0].resources.requests[cpu]", "FieldValueInvalid", "Invalid value: \"--1\": unable to parse quantity's suffix" },
        { "Deployment", """[{"op":"replace","path":"/spec/template/spec/containers/0/resources/requests/cpu","value":"-1"}]""", "spec.template.spec.containers[0].resources.requests[cpu]", "FieldValueInvalid", "Invalid value: \"-1\": must be greater than or equal to 0" },
        { "Deployment", """[{"op":"replace","path":"/spec/template/spec/containers/0/resources/requests/memory","value":"3Gi"},{"op":"replace","path":"/spec/template/spec/containers/0/resources/limits/memory","value":"2Gi"}]""", "spec.template.spec.containers[0].resources.requests[memory]", "FieldValueInvalid", "Invalid value: \"3Gi\": must be less than or equal to memory limit of 2Gi" },
        { "Deployment", """[{"op":"replace","path":"/spec/template/spec/containers/0/volumeMounts/0/name","value":"missing"}]""", "spec.template.spec.containers[0].volumeMounts[0].name", "FieldValueNotFound", "Not found: \"missing\"" },
        { "Deployment", """[{"op":"replace","path":"/spec/template/spec/containers/0/ports/0/containerPort","value":70000}]""", "spec.template.spec.containers[0].ports[0].containerPort", "FieldValueInvalid", "Invalid value: 70000: must be between 1 and 65535, inclusive" },
        { "Deployment", """[{"op":"replace","path":"/spec/template/spec/containers/0/imagePullPolicy","value":"Sometimes"}]""", "spec.template.spec.containers[0].imagePullPolicy", "FieldValueNotSupported", "Unsupported value: \"Sometimes\": supported values: \"Always\", \"IfNotPresent\", \"Never\"" },
        { "Deployment", """[{"op":"remove","path":"/spec/template/spec/containers/0/env/0/name"}]""", "spec.template.spec.containers[0].env[0].name", "FieldValueRequired", "Required value" },
        { "Deployment", """[{"op":"remove","path":"/spec/template/spec/containers/0/env/1/valueFrom/secretKeyRef/key"}]""", "spec.template.spec.containers[0].env[1].valueFrom.secretKeyRef.key", "FieldValueRequired", "Required value" },
        { "Deployment", """[{"op":"replace","path":"/spec/template/spec/containers/0/livenessProbe/successThreshold","value":2}]""", "spec.template.spec.containers[0].livenessProbe.successThreshold", "FieldValueInvalid", "Invalid value: 2: must be 1" },
        { "Deployment", """[{"op":"replace","path":"/spec/template/metadata/labels","value":{"app":"other"}}]""", "spec.template.metadata.labels", "FieldValueInvalid", "Invalid value: map[string]string{\"app\":\"other\"}: `selector` does not match template `labels`" },
        { "Deployment", """[{"op":"remove","path":"/spec/selector"}]""", "spec.selector", "FieldValueRequired", "Required value" },
        { "Deployment", """[{"op":"replace","path":"/spec/selector","value":{}}]""", "spec.selector", "FieldValueInvalid", "Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment" },
        { "Deployment", """[{"op":"add","path":"/spec/selector/matchExpressions","value":[{"key":"tier","operator":"In"}]}]""", "spec.selector.matchExpressions[0].values", "FieldValueRequired", "Required value: must be specified when `operator` is 'In' or 'NotIn'" },
        { "Deployment", """[{"op":"replace","path":"/spec/template/spec/restartPolicy","value":"Never"}]""", "spec.template.spec.restartPolicy", "FieldValueNotSupported", "Unsupported value: \"Never\": supported values: \"Always\"" },
        { "Deployment", """[{"op":"replace","path":"/spec/strategy","value":{"type":"Recreate","rollingUpdate":{"maxSurge":1}}}]""", "spec.strategy.rollingUpdate", "FieldValueForbidden", "Forbidden: may not be specified when strategy `type` is 'Recreate'" },
        { "Deployment", """[{"op":"replace","path":"/spec/progressDeadlineSeconds","value":5},{"op":"add","path":"/spec/minReadySeconds","value":10}]""", "spec.progressDeadlineSeconds", "FieldValueInvalid", "Invalid value: 5: must be greater than minReadySeconds" },
        { "Deployment", """[{"op":"add","path":"/spec/template/spec/volumes/-","value":{"name":"empty"}}]""", "spec.template.spec.volumes[2]", "FieldValueRequired", "Required value: must specify a volume type" },
        { "Deployment", """[{"op":"remove","path":"/spec/template/spec/volumes/0/persistentVolumeClaim/claimName"}]""", "spec.template.spec.volumes[0].persistentVolumeClaim.claimName", "FieldValueRequired", "Required value" },
        { "ReplicaSet", """[{"op":"replace","path":"/spec/replicas","value":-2}]""", "spec.replicas", "FieldValueInvalid", "Invalid value: -2: must be greater than or equal to 0" },
        { "Pod", """[{"op":"remove","path":"/spec/containers"}]""", "spec.containers", "FieldValueRequired", "Required value" },
        { "Pod", """[{"op":"replace","path":"/spec/restartPolicy","value":"Sometimes"}]""", "spec.restartPolicy", "FieldValueNotSupported", "Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"" },
        { "Pod", """[{"op":"replace","path":"/metadata/namespace","value":"Kosmos"}]""", "metadata.namespace", "FieldValueInvalid", "Invalid value: \"Kosmos\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')" },
        { "PersistentVolumeClaim", """[{"op":"remove","path":"/spec/resources/requests/storage"}]""", "spec.resources[storage]", "FieldValueRequired", "Required value" },
        { "PersistentVolumeClaim", """[{"op":"replace","path":"/spec/resources/requests/storage","value":"10Gx"}]""", "spec.resources.requests[storage]", "FieldValueInvalid", $"Invalid value: \"10Gx\": {QuantityRegex}" },
        { "PersistentVolumeClaim", """[{"op":"replace","path":"/spec/resources/requests/storage","value":"0"}]""", "spec.resources[storage]", "FieldValueInvalid", "Invalid value: \"0\": must be greater than zero" },
        { "PersistentVolumeClaim", """[{"op":"replace","path":"/spec/accessModes","value":[]}]""", "spec.accessModes", "FieldValueRequired", "Required value: at least 1 access mode is required" },
        { "PersistentVolumeClaim", """[{"op":"replace","path":"/spec/accessModes","value":["ReadWriteSometimes"]}]""", "spec.accessModes", "FieldValueNotSupported", "Unsupported value: \"ReadWriteSometimes\": supported values: \"ReadOnlyMany\", \"ReadWriteMany\", \"ReadWriteOnce\", \"ReadWriteOncePod\"" },
        { "PersistentVolumeClaim", """[{"op":"remove","path":"/spec/dataSource/name"}]""", "spec.dataSource.name", "FieldValueRequired", "Required value" },
        { "Namespace", """[{"op":"replace","path":"/metadata/name","value":"kosmos.prod"}]""", "metadata.name", "FieldValueInvalid", "Invalid value: \"kosmos.prod\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')" },
        { "Namespace", """[{"op":"add","path":"/metadata/namespace","value":"default"}]""", "metadata.namespace", "FieldValueForbidden", "Forbidden: not allowed on this type" },
        { "ConfigMap", """[{"op":"add","path":"/data/bad key","value":"x"}]""", "data[bad key]", "FieldValueInvalid", "Invalid value: \"bad key\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')" },
        { "Secret", """[{"op":"replace","path":"/type","value":"kubernetes.io/tls"}]""", "data[tls.crt]", "FieldValueRequired", "Required value" },
        { "Event", """[{"op":"replace","path":"/involvedObject/namespace","value":"default"}]""", "involvedObject.namespace", "FieldValueInvalid", "Invalid value: \"default\": does not match event.namespace" },
        { "VolumeSnapshot", """[{"op":"remove","path":"/spec/source"}]""", "spec.source", "FieldValueRequired", "Required value" },
        { "VolumeSnapshot", """[{"op":"add","path":"/spec/source/volumeSnapshotContentName","value":"c"}]""", "spec.source", "FieldValueInvalid", "Invalid value: \"object\": exactly one of persistentVolumeClaimName or volumeSnapshotContentName must be set" },
        { "VolumeSnapshot", """[{"op":"replace","path":"/spec/source/persistentVolumeClaimName","value":7}]""", "spec.source.persistentVolumeClaimName", "FieldValueTypeInvalid", "Invalid value: \"integer\": spec.source.persistentVolumeClaimName in body must be of type string: \"integer\"" },
    };

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void Validate_InvalidValue_ReportsFieldReasonAndMessage(string kind, string mutation, string field, string reason, string message)
    {
        var obj = Mutate(Fixtures.Parse(Fixtures.ByKind[kind]), mutation);

        var result = Validator.Validate(kind, obj, ValidationMode.Strict);

        Assert.Equal(422, result.Code);
        Assert.Contains(new FieldError(reason, field, message), result.Errors);
        Assert.Contains($"{field}: {message}", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_GenerateNameInsteadOfName_IsAccepted()
    {
        var pod = Mutate(Fixtures.Parse(Fixtures.PodJson), """[{"op":"remove","path":"/metadata/name"},{"op":"add","path":"/metadata/generateName","value":"research-agent-"}]""");

        var result = Validator.Validate("Pod", pod, ValidationMode.Strict);

        Assert.True(result.IsValid, result.Message);
    }

    [Fact]
    public void Validate_UnknownFieldAndInvalidValueUnderStrict_DecodeStageWins()
    {
        var deployment = Mutate(Fixtures.Deployment(), """[{"op":"add","path":"/spec/foo","value":1},{"op":"replace","path":"/spec/replicas","value":-1}]""");

        var result = Validator.Validate("Deployment", deployment, ValidationMode.Strict);

        Assert.Equal(400, result.Code);
        Assert.Single(result.Errors);
        Assert.Equal(422, Validator.Validate("Deployment", deployment, ValidationMode.Warn).Code);
    }

    [Fact]
    public void Validate_PatchedDeploymentAfterKubectlSetResources_StaysValid()
    {
        var patch = Fixtures.Node("""{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"agent"},{"name":"metrics-exporter"}],"containers":[{"name":"agent","resources":{"limits":{"memory":"2Gi"},"requests":{"memory":"1Gi"}}}]}}}}""");
        var patched = StrategicMergePatch.Apply(Fixtures.Deployment(), patch, ResourceSchema.Deployment);

        var result = Validator.Validate("Deployment", patched, ValidationMode.Strict);

        Assert.True(result.IsValid, result.Message);
    }

    [Fact]
    public void Validate_KindTheSimulatorDoesNotServe_ThrowsArgumentException()
    {
        var error = Assert.Throws<ArgumentException>(() => Validator.Validate("CronJob", Fixtures.Parse("""{"metadata":{"name":"x"}}"""), ValidationMode.Strict));

        Assert.Contains("CronJob", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PruneUnknownFields_KindTheSimulatorDoesNotServe_CopiesObjectUnchanged()
    {
        var obj = Fixtures.Parse("""{"metadata":{"name":"x"},"spec":{"anything":[1,2]}}""");

        var copy = Validator.PruneUnknownFields("CronJob", obj);

        Assert.NotSame(obj, copy);
        Assert.True(JsonNode.DeepEquals(obj, copy));
    }

    private static JsonObject Mutate(JsonObject obj, string jsonPatch) => JsonPatch.Apply(obj, JsonNode.Parse(jsonPatch));
}
