using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kosmos.KubeSim.Machinery;

/// <summary>The operators of a label selector requirement.</summary>
public enum LabelOperator
{
    /// <summary><c>key=value</c> or <c>key==value</c>; matchLabels entries.</summary>
    Equals,

    /// <summary><c>key!=value</c>: the label is absent or has another value.</summary>
    NotEquals,

    /// <summary><c>key in (a,b)</c>.</summary>
    In,

    /// <summary><c>key notin (a,b)</c>: the label is absent or has none of the values.</summary>
    NotIn,

    /// <summary><c>key</c>.</summary>
    Exists,

    /// <summary><c>!key</c>.</summary>
    DoesNotExist,

    /// <summary><c>key&gt;5</c>: the label is an integer greater than the value.</summary>
    GreaterThan,

    /// <summary><c>key&lt;5</c>: the label is an integer less than the value.</summary>
    LessThan,
}

/// <summary>One requirement of a label selector; <see cref="Values"/> are sorted and distinct.</summary>
public sealed record LabelRequirement(string Key, LabelOperator Operator, IReadOnlyList<string> Values)
{
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        var present = labels.TryGetValue(Key, out var value);
        switch (Operator)
        {
            case LabelOperator.Equals:
            case LabelOperator.In:
                return present && Values.Contains(value!, StringComparer.Ordinal);
            case LabelOperator.NotEquals:
            case LabelOperator.NotIn:
                return !present || !Values.Contains(value!, StringComparer.Ordinal);
            case LabelOperator.Exists:
                return present;
            case LabelOperator.DoesNotExist:
                return !present;
            case LabelOperator.GreaterThan:
            case LabelOperator.LessThan:
                {
                    if (!present || !long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var actual) ||
                        !long.TryParse(Values[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var bound))
                    {
                        return false;
                    }

                    return Operator == LabelOperator.GreaterThan ? actual > bound : actual < bound;
                }

            default:
                return false;
        }
    }

    /// <summary>The requirement in selector syntax, e.g. <c>app in (a,b)</c>.</summary>
    public override string ToString() => Operator switch
    {
        LabelOperator.Equals => $"{Key}={Values[0]}",
        LabelOperator.NotEquals => $"{Key}!={Values[0]}",
        LabelOperator.In => $"{Key} in ({string.Join(",", Values)})",
        LabelOperator.NotIn => $"{Key} notin ({string.Join(",", Values)})",
        LabelOperator.Exists => Key,
        LabelOperator.DoesNotExist => "!" + Key,
        LabelOperator.GreaterThan => $"{Key}>{Values[0]}",
        _ => $"{Key}<{Values[0]}",
    };
}

/// <summary>
/// A label selector as the API server understands it: the string form of the <c>labelSelector</c> query
/// parameter (<c>=</c>, <c>==</c>, <c>!=</c>, <c>in (...)</c>, <c>notin (...)</c>, <c>key</c>, <c>!key</c>,
/// <c>&gt;</c>, <c>&lt;</c>; comma = AND), and the <c>matchLabels</c>/<c>matchExpressions</c> object of workload
/// selectors. Keys and values are checked with the real label rules. Immutable and thread-safe.
/// </summary>
public sealed class LabelSelector
{
    private static readonly LabelSelector NothingSelector = new([], matchesNothing: true);

    private readonly bool _matchesNothing;

    private LabelSelector(IReadOnlyList<LabelRequirement> requirements, bool matchesNothing = false)
    {
        Requirements = requirements;
        _matchesNothing = matchesNothing;
    }

    /// <summary>Selects every object (the empty selector).</summary>
    public static LabelSelector Everything { get; } = new([]);

    /// <summary>Selects no object (what a missing workload selector means).</summary>
    public static LabelSelector Nothing => NothingSelector;

    /// <summary>The requirements, sorted by key; all must hold.</summary>
    public IReadOnlyList<LabelRequirement> Requirements { get; }

    public bool IsEverything => !_matchesNothing && Requirements.Count == 0;

    /// <summary>Parses the string form; null or blank selects everything.</summary>
    /// <exception cref="FormatException">The selector is malformed; the message is the API server's.</exception>
    public static LabelSelector Parse(string? text) =>
        TryParse(text, out var selector, out var error) ? selector : throw new FormatException(error);

    public static bool TryParse(string? text, [NotNullWhen(true)] out LabelSelector? selector, [NotNullWhen(false)] out string? error)
    {
        selector = null;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            selector = Everything;
            return true;
        }

        try
        {
            selector = new LabelSelector(Sorted(new Parser(text).Parse()));
            return true;
        }
        catch (FormatException ex)
        {
            error = ex.Message;
            return false;
        }
    }

    /// <summary>
    /// Converts a <c>metav1.LabelSelector</c> object: null is <see cref="Nothing"/>, an empty object is
    /// <see cref="Everything"/>, otherwise matchLabels and matchExpressions are ANDed.
    /// </summary>
    /// <exception cref="FormatException">An unknown operator, or values that do not fit the operator.</exception>
    public static LabelSelector FromJson(JsonNode? selector)
    {
        if (selector is null)
        {
            return Nothing;
        }

        if (selector is not JsonObject obj)
        {
            throw new FormatException("a label selector must be a JSON object");
        }

        var requirements = new List<LabelRequirement>();
        if (obj["matchLabels"] is JsonObject matchLabels)
        {
            foreach (var (key, value) in matchLabels)
            {
                requirements.Add(NewRequirement(key, LabelOperator.Equals, [JsonNodes.GetString(value) ?? JsonNodes.ScalarText(value)]));
            }
        }

        if (obj["matchExpressions"] is JsonArray expressions)
        {
            foreach (var expression in expressions)
            {
                var key = JsonNodes.GetString(expression?["key"]) ?? "";
                var op = JsonNodes.GetString(expression?["operator"]) ?? "";
                var values = expression?["values"] is JsonArray array
                    ? array.Select(v => JsonNodes.GetString(v) ?? JsonNodes.ScalarText(v)).ToList()
                    : [];
                var labelOperator = op switch
                {
                    "In" => LabelOperator.In,
                    "NotIn" => LabelOperator.NotIn,
                    "Exists" => LabelOperator.Exists,
                    "DoesNotExist" => LabelOperator.DoesNotExist,
                    _ => throw new FormatException($"{JsonNodes.GoQuote(op)} is not a valid label selector operator"),
                };
                requirements.Add(NewRequirement(key, labelOperator, values));
            }
        }

        return new LabelSelector(Sorted(requirements));
    }

    /// <summary>
    /// Whether a workload's selector (a <c>metav1.LabelSelector</c> object, as stored) selects an object with these
    /// <c>metadata.labels</c>, as the controllers decide it: null selects nothing, an empty object everything, and a
    /// requirement with an unknown operator nothing. Keys and values are not checked again: the API server did on write.
    /// </summary>
    public static bool Matches(JsonNode? selector, JsonObject? labels)
    {
        if (selector is not JsonObject s)
        {
            return false;
        }

        var actual = LabelMap(labels);
        foreach (var (key, value) in s["matchLabels"] as JsonObject ?? [])
        {
            if (!new LabelRequirement(key, LabelOperator.Equals, [JsonNodes.GetString(value) ?? JsonNodes.ScalarText(value)]).Matches(actual))
            {
                return false;
            }
        }

        foreach (var expression in (s["matchExpressions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            LabelOperator? op = JsonNodes.GetString(expression["operator"]) switch
            {
                "In" => LabelOperator.In,
                "NotIn" => LabelOperator.NotIn,
                "Exists" => LabelOperator.Exists,
                "DoesNotExist" => LabelOperator.DoesNotExist,
                _ => null,
            };
            var values = (expression["values"] as JsonArray ?? []).Select(v => JsonNodes.GetString(v) ?? JsonNodes.ScalarText(v)).ToList();
            if (op is null || !new LabelRequirement(JsonNodes.GetString(expression["key"]) ?? "", op.Value, values).Matches(actual))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A workload selector with no requirement (or none at all), which the Deployment controller refuses to act on.</summary>
    public static bool IsEmpty(JsonNode? selector) =>
        selector is not JsonObject s
        || ((s["matchLabels"] as JsonObject)?.Count ?? 0) == 0 && ((s["matchExpressions"] as JsonArray)?.Count ?? 0) == 0;

    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return !_matchesNothing && Requirements.All(r => r.Matches(labels));
    }

    /// <summary>Matches the <c>metadata.labels</c> of a Kubernetes object.</summary>
    public bool MatchesObject(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return Matches(LabelsOf(obj));
    }

    /// <summary>The <c>metadata.labels</c> of an object as a dictionary (empty when absent).</summary>
    public static IReadOnlyDictionary<string, string> LabelsOf(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return LabelMap(obj["metadata"]?["labels"] as JsonObject);
    }

    private static Dictionary<string, string> LabelMap(JsonObject? map)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in map ?? [])
        {
            if (JsonNodes.KindOf(value) == JsonValueKind.String)
            {
                labels[key] = value!.GetValue<string>();
            }
        }

        return labels;
    }

    /// <summary>The canonical string form (requirements sorted by key), e.g. <c>app=agent,tier in (a,b)</c>.</summary>
    public override string ToString() => string.Join(",", Requirements);

    private static List<LabelRequirement> Sorted(List<LabelRequirement> requirements) =>
        requirements.OrderBy(r => r.Key, StringComparer.Ordinal).ToList();

    // labels.NewRequirement: the same checks and messages.
    private static LabelRequirement NewRequirement(string key, LabelOperator op, IReadOnlyCollection<string> values)
    {
        var errors = new List<string>();
        var keyErrors = NameRules.QualifiedName(key);
        if (keyErrors.Count > 0)
        {
            errors.Add($"key: Invalid value: {JsonNodes.GoQuote(key)}: {string.Join("; ", keyErrors)}");
        }

        var distinct = values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var shown = "[]string{" + string.Join(", ", values.Select(JsonNodes.GoQuote)) + "}";
        switch (op)
        {
            case LabelOperator.In or LabelOperator.NotIn when distinct.Count == 0:
                errors.Add($"values: Invalid value: {shown}: for 'in', 'notin' operators, values set can't be empty");
                break;
            case LabelOperator.Equals or LabelOperator.NotEquals when distinct.Count != 1:
                errors.Add($"values: Invalid value: {shown}: exact-match compatibility requires one single value");
                break;
            case LabelOperator.Exists or LabelOperator.DoesNotExist when distinct.Count != 0:
                errors.Add($"values: Invalid value: {shown}: values set must be empty for exists and does not exist");
                break;
            case LabelOperator.GreaterThan or LabelOperator.LessThan:
                if (distinct.Count != 1)
                {
                    errors.Add($"values: Invalid value: {shown}: for 'Gt', 'Lt' operators, exactly one value is required");
                }

                for (var i = 0; i < distinct.Count; i++)
                {
                    if (!long.TryParse(distinct[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
                    {
                        errors.Add($"values[{i}]: Invalid value: {JsonNodes.GoQuote(distinct[i])}: for 'Gt', 'Lt' operators, the value must be an integer");
                    }
                }

                break;
        }

        for (var i = 0; i < distinct.Count; i++)
        {
            var valueErrors = NameRules.LabelValue(distinct[i]);
            if (valueErrors.Count > 0)
            {
                errors.Add($"values[{i}][{key}]: Invalid value: {JsonNodes.GoQuote(distinct[i])}: {string.Join("; ", valueErrors)}");
            }
        }

        if (errors.Count > 0)
        {
            throw new FormatException(errors.Count == 1 ? errors[0] : "[" + string.Join(", ", errors) + "]");
        }

        return new LabelRequirement(key, op, distinct);
    }

    private enum TokenKind
    {
        End,
        Identifier,
        In,
        NotIn,
        OpenParen,
        CloseParen,
        Comma,
        Not,
        Equals,
        DoubleEquals,
        NotEquals,
        GreaterThan,
        LessThan,
    }

    private readonly record struct Token(TokenKind Kind, string Text);

    // The lexer and recursive-descent parser of k8s.io/apimachinery/pkg/labels, with its error messages.
    private sealed class Parser
    {
        private const string SpecialChars = "=!(),><";

        private readonly List<Token> _tokens = [];
        private int _position;

        public Parser(string text)
        {
            var i = 0;
            while (true)
            {
                while (i < text.Length && char.IsWhiteSpace(text[i]))
                {
                    i++;
                }

                if (i >= text.Length)
                {
                    _tokens.Add(new Token(TokenKind.End, ""));
                    return;
                }

                var c = text[i];
                if (SpecialChars.Contains(c, StringComparison.Ordinal))
                {
                    var two = i + 1 < text.Length ? text.Substring(i, 2) : "";
                    if (two is "==" or "!=")
                    {
                        _tokens.Add(new Token(two == "==" ? TokenKind.DoubleEquals : TokenKind.NotEquals, two));
                        i += 2;
                        continue;
                    }

                    _tokens.Add(new Token(
                        c switch
                        {
                            '=' => TokenKind.Equals,
                            '!' => TokenKind.Not,
                            '(' => TokenKind.OpenParen,
                            ')' => TokenKind.CloseParen,
                            ',' => TokenKind.Comma,
                            '>' => TokenKind.GreaterThan,
                            _ => TokenKind.LessThan,
                        },
                        c.ToString()));
                    i++;
                    continue;
                }

                var start = i;
                while (i < text.Length && !char.IsWhiteSpace(text[i]) && !SpecialChars.Contains(text[i], StringComparison.Ordinal))
                {
                    i++;
                }

                var word = text[start..i];
                _tokens.Add(new Token(word switch { "in" => TokenKind.In, "notin" => TokenKind.NotIn, _ => TokenKind.Identifier }, word));
            }
        }

        public List<LabelRequirement> Parse()
        {
            var requirements = new List<LabelRequirement>();
            while (true)
            {
                var next = Peek(values: true);
                switch (next.Kind)
                {
                    case TokenKind.Identifier or TokenKind.Not:
                        try
                        {
                            requirements.Add(ParseRequirement());
                        }
                        catch (FormatException ex)
                        {
                            throw new FormatException("unable to parse requirement: " + ex.Message);
                        }

                        var after = Consume(values: true);
                        switch (after.Kind)
                        {
                            case TokenKind.End:
                                return requirements;
                            case TokenKind.Comma:
                                var following = Peek(values: true);
                                if (following.Kind is not (TokenKind.Identifier or TokenKind.Not))
                                {
                                    throw new FormatException($"found '{following.Text}', expected: identifier after ','");
                                }

                                break;
                            default:
                                throw new FormatException($"found '{after.Text}', expected: ',' or 'end of string'");
                        }

                        break;
                    case TokenKind.End:
                        return requirements;
                    default:
                        throw new FormatException($"found '{next.Text}', expected: !, identifier, or 'end of string'");
                }
            }
        }

        private LabelRequirement ParseRequirement()
        {
            var token = Consume(values: true);
            var negated = token.Kind == TokenKind.Not;
            if (negated)
            {
                token = Consume(values: true);
            }

            if (token.Kind != TokenKind.Identifier)
            {
                throw new FormatException($"found '{token.Text}', expected: identifier");
            }

            var key = token.Text;
            if (negated)
            {
                // "!key" takes no operator; whatever follows is the caller's to reject.
                return NewRequirement(key, LabelOperator.DoesNotExist, []);
            }

            if (Peek(values: true).Kind is TokenKind.End or TokenKind.Comma)
            {
                return NewRequirement(key, LabelOperator.Exists, []);
            }

            var opToken = Consume(values: false);
            var op = opToken.Kind switch
            {
                TokenKind.In => LabelOperator.In,
                TokenKind.NotIn => LabelOperator.NotIn,
                TokenKind.Equals or TokenKind.DoubleEquals => LabelOperator.Equals,
                TokenKind.NotEquals => LabelOperator.NotEquals,
                TokenKind.GreaterThan => LabelOperator.GreaterThan,
                TokenKind.LessThan => LabelOperator.LessThan,
                _ => throw new FormatException($"found '{opToken.Text}', expected: in, notin, =, ==, !=, gt, lt"),
            };
            var values = op is LabelOperator.In or LabelOperator.NotIn ? ParseValues() : ParseExactValue();
            return NewRequirement(key, op, values);
        }

        private List<string> ParseValues()
        {
            var open = Consume(values: true);
            if (open.Kind != TokenKind.OpenParen)
            {
                throw new FormatException($"found '{open.Text}' expected: '('");
            }

            var next = Peek(values: true);
            switch (next.Kind)
            {
                case TokenKind.Identifier or TokenKind.Comma:
                    {
                        var list = ParseIdentifierList();
                        var close = Consume(values: true);
                        if (close.Kind != TokenKind.CloseParen)
                        {
                            throw new FormatException($"found '{close.Text}', expected: ')'");
                        }

                        return list;
                    }

                case TokenKind.CloseParen:
                    Consume(values: true);
                    return [""];
                default:
                    throw new FormatException($"found '{next.Text}', expected: ',', ')' or identifier");
            }
        }

        private List<string> ParseIdentifierList()
        {
            var list = new List<string>();
            while (true)
            {
                var token = Consume(values: true);
                switch (token.Kind)
                {
                    case TokenKind.Identifier:
                        {
                            list.Add(token.Text);
                            var next = Peek(values: true);
                            if (next.Kind == TokenKind.Comma)
                            {
                                continue;
                            }

                            if (next.Kind == TokenKind.CloseParen)
                            {
                                return list;
                            }

                            throw new FormatException($"found '{next.Text}', expected: ',' or ')'");
                        }

                    case TokenKind.Comma:
                        {
                            if (list.Count == 0)
                            {
                                list.Add("");
                            }

                            var next = Peek(values: true);
                            if (next.Kind == TokenKind.CloseParen)
                            {
                                list.Add("");
                                return list;
                            }

                            if (next.Kind == TokenKind.Comma)
                            {
                                Consume(values: true);
                                list.Add("");
                            }

                            break;
                        }

                    default:
                        throw new FormatException($"found '{token.Text}', expected: ',', or identifier");
                }
            }
        }

        private List<string> ParseExactValue()
        {
            var next = Peek(values: true);
            if (next.Kind is TokenKind.End or TokenKind.Comma)
            {
                return [""];
            }

            var token = Consume(values: true);
            return token.Kind == TokenKind.Identifier ? [token.Text] : throw new FormatException($"found '{token.Text}', expected: identifier");
        }

        // In value position the keywords "in" and "notin" are plain identifiers.
        private Token Peek(bool values) => AsContext(_tokens[_position], values);

        private Token Consume(bool values)
        {
            var token = AsContext(_tokens[_position], values);
            if (_position < _tokens.Count - 1)
            {
                _position++;
            }

            return token;
        }

        private static Token AsContext(Token token, bool values) =>
            values && token.Kind is TokenKind.In or TokenKind.NotIn ? token with { Kind = TokenKind.Identifier } : token;
    }
}
