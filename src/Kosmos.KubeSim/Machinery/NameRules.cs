using System.Text.RegularExpressions;

namespace Kosmos.KubeSim.Machinery;

/// <summary>
/// The name and label rules of <c>k8s.io/apimachinery/pkg/util/validation</c>, returning the same messages
/// (an empty list means valid).
/// </summary>
internal static partial class NameRules
{
    private const int LabelValueMaxLength = 63;

    private const string Dns1123LabelFormat = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private const string Dns1123SubdomainFormat = Dns1123LabelFormat + "(\\." + Dns1123LabelFormat + ")*";
    private const string QualifiedNameFormat = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private const string LabelValueFormat = "(" + QualifiedNameFormat + ")?";
    private const string ConfigKeyFormat = "[-._a-zA-Z0-9]+";

    private const string QualifiedNameMessage =
        "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

    public static IReadOnlyList<string> Dns1123Label(string value)
    {
        var errors = new List<string>();
        if (value.Length > 63)
        {
            errors.Add(MaxLength(63));
        }

        if (!Dns1123LabelRegex().IsMatch(value))
        {
            errors.Add(RegexError(
                "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
                Dns1123LabelFormat,
                "my-name",
                "123-abc"));
        }

        return errors;
    }

    public static IReadOnlyList<string> Dns1123Subdomain(string value)
    {
        var errors = new List<string>();
        if (value.Length > 253)
        {
            errors.Add(MaxLength(253));
        }

        if (!Dns1123SubdomainRegex().IsMatch(value))
        {
            errors.Add(RegexError(
                "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
                Dns1123SubdomainFormat,
                "example.com"));
        }

        return errors;
    }

    /// <summary>Label keys and annotation keys: an optional DNS subdomain prefix and '/', then a name of at most 63 characters.</summary>
    public static IReadOnlyList<string> QualifiedName(string value)
    {
        var errors = new List<string>();
        var parts = value.Split('/');
        string name;
        switch (parts.Length)
        {
            case 1:
                name = parts[0];
                break;
            case 2:
                {
                    var prefix = parts[0];
                    name = parts[1];
                    if (prefix.Length == 0)
                    {
                        errors.Add("prefix part " + EmptyError());
                    }
                    else
                    {
                        errors.AddRange(Dns1123Subdomain(prefix).Select(message => "prefix part " + message));
                    }

                    break;
                }

            default:
                errors.Add("a qualified name " + RegexError(QualifiedNameMessage, QualifiedNameFormat, "MyName", "my.name", "123-abc") +
                    " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
                return errors;
        }

        if (name.Length == 0)
        {
            errors.Add("name part " + EmptyError());
        }
        else if (name.Length > 63)
        {
            errors.Add("name part " + MaxLength(63));
        }

        if (!QualifiedNameRegex().IsMatch(name))
        {
            errors.Add("name part " + RegexError(QualifiedNameMessage, QualifiedNameFormat, "MyName", "my.name", "123-abc"));
        }

        return errors;
    }

    public static IReadOnlyList<string> LabelValue(string value)
    {
        var errors = new List<string>();
        if (value.Length > LabelValueMaxLength)
        {
            errors.Add(MaxLength(LabelValueMaxLength));
        }

        if (!LabelValueRegex().IsMatch(value))
        {
            errors.Add(RegexError(
                "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
                LabelValueFormat,
                "MyValue",
                "my_value",
                "12345"));
        }

        return errors;
    }

    public static IReadOnlyList<string> ConfigMapKey(string value)
    {
        var errors = new List<string>();
        if (value.Length > 253)
        {
            errors.Add(MaxLength(253));
        }

        if (!ConfigKeyRegex().IsMatch(value))
        {
            errors.Add(RegexError("a valid config key must consist of alphanumeric characters, '-', '_' or '.'", ConfigKeyFormat, "key.name", "KEY_NAME", "key-name"));
        }

        if (value is "." or "..")
        {
            errors.Add($"must not be '{value}'");
        }
        else if (value.StartsWith("..", StringComparison.Ordinal))
        {
            errors.Add("must not start with '..'");
        }

        return errors;
    }

    private static string MaxLength(int length) => $"must be no more than {length} characters";

    private static string EmptyError() => "must be non-empty";

    private static string RegexError(string message, string format, params string[] examples) =>
        $"{message} (e.g. {string.Join(",  or ", examples.Select(e => $"'{e}'"))}, regex used for validation is '{format}')";

    [GeneratedRegex("^(?:" + Dns1123LabelFormat + ")\\z")]
    private static partial Regex Dns1123LabelRegex();

    [GeneratedRegex("^(?:" + Dns1123SubdomainFormat + ")\\z")]
    private static partial Regex Dns1123SubdomainRegex();

    [GeneratedRegex("^(?:" + QualifiedNameFormat + ")\\z")]
    private static partial Regex QualifiedNameRegex();

    [GeneratedRegex("^(?:" + LabelValueFormat + ")\\z")]
    private static partial Regex LabelValueRegex();

    [GeneratedRegex("^(?:" + ConfigKeyFormat + ")\\z")]
    private static partial Regex ConfigKeyRegex();
}
