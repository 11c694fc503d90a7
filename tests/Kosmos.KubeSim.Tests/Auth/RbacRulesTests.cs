using Kosmos.KubeSim.Auth;
using Kosmos.KubeSim.Auth.Rbac;
using Microsoft.AspNetCore.Http;

namespace Kosmos.KubeSim.Tests.Auth;

/// <summary>Table tests of the two pure parts of RBAC: how a request is read (RequestInfo) and how a rule matches it.</summary>
public sealed class RbacRulesTests
{
    private static readonly UserInfo Ada = UserInfo.Parse("ada", []);

    [Theory]
    [InlineData("GET", "/api/v1/namespaces/kosmos/pods", "", "list", "", "pods", "", "kosmos", "")]
    [InlineData("GET", "/api/v1/namespaces/kosmos/pods", "watch=true", "watch", "", "pods", "", "kosmos", "")]
    [InlineData("GET", "/api/v1/namespaces/kosmos/pods", "watch=false", "list", "", "pods", "", "kosmos", "")]
    [InlineData("GET", "/api/v1/namespaces/kosmos/pods", "fieldSelector=metadata.name%3Dp1", "list", "", "pods", "", "kosmos", "p1")]
    [InlineData("GET", "/api/v1/namespaces/kosmos/pods/p1/log", "", "get", "", "pods", "log", "kosmos", "p1")]
    [InlineData("POST", "/api/v1/namespaces/kosmos/pods/p1/exec", "", "create", "", "pods", "exec", "kosmos", "p1")]
    [InlineData("PATCH", "/apis/apps/v1/namespaces/kosmos/deployments/d/scale", "", "patch", "apps", "deployments", "scale", "kosmos", "d")]
    [InlineData("DELETE", "/api/v1/namespaces/kosmos/pods", "", "deletecollection", "", "pods", "", "kosmos", "")]
    [InlineData("DELETE", "/api/v1/namespaces/kosmos/pods/p1", "", "delete", "", "pods", "", "kosmos", "p1")]
    [InlineData("PUT", "/api/v1/namespaces/kosmos", "", "update", "", "namespaces", "", "kosmos", "kosmos")]
    [InlineData("PUT", "/api/v1/namespaces/kosmos/finalize", "", "update", "", "namespaces", "finalize", "kosmos", "kosmos")]
    [InlineData("GET", "/apis/rbac.authorization.k8s.io/v1/clusterroles", "", "list", "rbac.authorization.k8s.io", "clusterroles", "", "", "")]
    [InlineData("GET", "/api/v1/watch/namespaces/kosmos/pods/p1", "", "watch", "", "pods", "", "kosmos", "p1")]
    public void Parse_ResourceRequest_AsRequestInfoReadsIt(string method, string path, string query, string verb, string group, string resource, string sub, string ns, string name)
    {
        var request = Request(method, path, query);

        var attributes = RequestAttributes.Parse(Ada, request);

        Assert.True(attributes.IsResourceRequest);
        Assert.Equal((verb, group, resource, sub, ns, name), (attributes.Verb, attributes.ApiGroup, attributes.Resource, attributes.Subresource, attributes.Namespace, attributes.Name));
    }

    [Theory]
    [InlineData("GET", "/api")]
    [InlineData("GET", "/api/v1")]
    [InlineData("GET", "/apis/apps/v1")]
    [InlineData("GET", "/version")]
    [InlineData("GET", "/openapi/v3/apis/apps/v1")]
    public void Parse_Discovery_NonResourceWithTheMethodAsVerb(string method, string path)
    {
        var attributes = RequestAttributes.Parse(Ada, Request(method, path, ""));

        Assert.False(attributes.IsResourceRequest);
        Assert.Equal(("get", path), (attributes.Verb, attributes.Path));
    }

    [Theory]
    [InlineData("get", "", "pods", "", "p", new[] { "get" }, new[] { "" }, new[] { "pods" }, new string[0], true)]
    [InlineData("get", "", "pods", "log", "p", new[] { "get" }, new[] { "" }, new[] { "pods" }, new string[0], false)]
    [InlineData("get", "", "pods", "log", "p", new[] { "get" }, new[] { "" }, new[] { "pods/log" }, new string[0], true)]
    [InlineData("get", "apps", "deployments", "status", "d", new[] { "get" }, new[] { "*" }, new[] { "*/status" }, new string[0], true)]
    [InlineData("get", "apps", "deployments", "", "d", new[] { "get" }, new[] { "*" }, new[] { "*/status" }, new string[0], false)]
    [InlineData("get", "apps", "deployments", "scale", "d", new[] { "*" }, new[] { "apps" }, new[] { "*" }, new string[0], true)]
    [InlineData("get", "apps", "deployments", "", "d", new[] { "get" }, new[] { "" }, new[] { "deployments" }, new string[0], false)]
    [InlineData("list", "", "configmaps", "", "", new[] { "list" }, new[] { "" }, new[] { "configmaps" }, new[] { "one" }, false)]
    [InlineData("get", "", "configmaps", "", "one", new[] { "get" }, new[] { "" }, new[] { "configmaps" }, new[] { "one" }, true)]
    [InlineData("get", "", "configmaps", "", "two", new[] { "get" }, new[] { "" }, new[] { "configmaps" }, new[] { "one" }, false)]
    [InlineData("delete", "", "pods", "", "p", new[] { "get", "list" }, new[] { "" }, new[] { "pods" }, new string[0], false)]
    public void Allows_ResourceRule_AsKubernetesMatchesIt(string verb, string group, string resource, string sub, string name,
        string[] verbs, string[] groups, string[] resources, string[] names, bool allowed)
    {
        var rule = new PolicyRule(verbs, groups, resources, names, []);

        Assert.Equal(allowed, rule.Allows(RequestAttributes.ForResource(Ada, verb, group, resource, sub, "kosmos", name)));
    }

    [Theory]
    [InlineData("/apis/apps/v1", new[] { "/apis/*" }, true)]
    [InlineData("/apis", new[] { "/apis/*" }, false)]
    [InlineData("/healthz", new[] { "/healthz" }, true)]
    [InlineData("/metrics", new[] { "*" }, true)]
    public void Allows_NonResourceRule_PrefixWithStar(string path, string[] urls, bool allowed)
    {
        var rule = new PolicyRule(["get"], [], [], [], urls);

        Assert.Equal(allowed, rule.Allows(new RequestAttributes(Ada, "get", IsResourceRequest: false, path, "", "", "", "", "", "")));
    }

    [Fact]
    public void ParseUser_ServiceAccount_GetsItsGroups()
    {
        var user = UserInfo.Parse("system:serviceaccount:kosmos:kosmos-dashboard", []);

        Assert.Equal(["system:serviceaccounts", "system:serviceaccounts:kosmos", "system:authenticated"], user.Groups);
        Assert.False(user.IsSuperUser);
    }

    private static HttpRequest Request(string method, string path, string query)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        context.Request.QueryString = query.Length == 0 ? QueryString.Empty : new QueryString("?" + query);
        return context.Request;
    }
}
