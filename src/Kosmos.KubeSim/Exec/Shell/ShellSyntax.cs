using System.Text;

namespace Kosmos.KubeSim.Exec.Shell;

/// <summary>A part of a word: literal text or a parameter expansion; quoted parts are neither split nor globbed.</summary>
internal abstract record WordPart(bool Quoted);

internal sealed record LiteralPart(string Text, bool Quoted) : WordPart(Quoted);

internal sealed record VariablePart(string Name, bool Quoted) : WordPart(Quoted);

internal sealed record Word(IReadOnlyList<WordPart> Parts)
{
    /// <summary>The word's text if it has no expansions (used for operators-as-words like "!" and assignments).</summary>
    public string? PlainText => Parts.All(p => p is LiteralPart) ? string.Concat(Parts.Cast<LiteralPart>().Select(p => p.Text)) : null;

    public bool IsUnquotedLiteral(string text) => Parts is [LiteralPart { Quoted: false } only] && only.Text == text;
}

internal enum RedirectionKind
{
    Output,
    Append,
    Input,
    Duplicate,
}

/// <summary><c>N&gt;file</c>, <c>N&gt;&gt;file</c>, <c>N&lt;file</c> or <c>N&gt;&amp;M</c>.</summary>
internal sealed record Redirection(int Fd, RedirectionKind Kind, Word Target);

internal sealed record Assignment(string Name, Word Value);

internal sealed record SimpleCommand(IReadOnlyList<Assignment> Assignments, IReadOnlyList<Word> Words, IReadOnlyList<Redirection> Redirections);

internal sealed record Pipeline(IReadOnlyList<SimpleCommand> Commands, bool Negated);

/// <summary>Pipelines joined by "&amp;&amp;" / "||": <see cref="Operators"/>[i] joins pipeline i and i+1.</summary>
internal sealed record AndOrList(IReadOnlyList<Pipeline> Pipelines, IReadOnlyList<string> Operators);

internal sealed class ShellSyntaxException(string message) : Exception(message);

/// <summary>
/// Parses the small POSIX shell subset the simulator supports: words with '…', "…" and \ quoting, $NAME ${NAME} $? $$
/// expansion, NAME=value prefixes, | pipelines, &amp;&amp; || ; and newline lists, # comments, and the redirections
/// &gt; &gt;&gt; &lt; 2&gt; 2&gt;&gt; 2&gt;&amp;1 &gt;&amp;2. No control flow, functions, subshells or command substitution.
/// </summary>
internal static class ShellSyntax
{
    public static IReadOnlyList<AndOrList> Parse(string text)
    {
        var tokens = Tokenize(text);
        var position = 0;
        var lists = new List<AndOrList>();
        while (position < tokens.Count)
        {
            if (tokens[position].IsOperator(";") || tokens[position].IsOperator("\n") || tokens[position].IsOperator("&"))
            {
                if (tokens[position].Op != "\n" && (lists.Count == 0 || !EndsItem(tokens, position - 1)))
                {
                    throw Unexpected(tokens[position].Op!);
                }

                position++;
                continue;
            }

            lists.Add(ParseAndOr(tokens, ref position));
        }

        return lists;
    }

    private static bool EndsItem(List<Token> tokens, int index) => index >= 0 && !tokens[index].IsOperator(";") && !tokens[index].IsOperator("&");

    private static AndOrList ParseAndOr(List<Token> tokens, ref int position)
    {
        var pipelines = new List<Pipeline> { ParsePipeline(tokens, ref position) };
        var operators = new List<string>();
        while (position < tokens.Count && (tokens[position].IsOperator("&&") || tokens[position].IsOperator("||")))
        {
            operators.Add(tokens[position].Op!);
            position++;
            while (position < tokens.Count && tokens[position].IsOperator("\n"))
            {
                position++;
            }

            pipelines.Add(ParsePipeline(tokens, ref position));
        }

        return new AndOrList(pipelines, operators);
    }

    private static Pipeline ParsePipeline(List<Token> tokens, ref int position)
    {
        var negated = false;
        if (position < tokens.Count && tokens[position].Word?.IsUnquotedLiteral("!") == true)
        {
            negated = true;
            position++;
        }

        var commands = new List<SimpleCommand> { ParseCommand(tokens, ref position) };
        while (position < tokens.Count && tokens[position].IsOperator("|"))
        {
            position++;
            while (position < tokens.Count && tokens[position].IsOperator("\n"))
            {
                position++;
            }

            commands.Add(ParseCommand(tokens, ref position));
        }

        return new Pipeline(commands, negated);
    }

    private static SimpleCommand ParseCommand(List<Token> tokens, ref int position)
    {
        var assignments = new List<Assignment>();
        var words = new List<Word>();
        var redirections = new List<Redirection>();
        while (position < tokens.Count)
        {
            var token = tokens[position];
            if (token.Word is { } word)
            {
                if (words.Count == 0 && TryAssignment(word) is { } assignment)
                {
                    assignments.Add(assignment);
                }
                else
                {
                    words.Add(word);
                }

                position++;
                continue;
            }

            if (token.Redirect is { } kind)
            {
                position++;
                if (position >= tokens.Count || tokens[position].Word is not { } target)
                {
                    throw new ShellSyntaxException(position >= tokens.Count ? "Syntax error: newline unexpected" : $"Syntax error: \"{tokens[position].Op}\" unexpected");
                }

                redirections.Add(new Redirection(token.Fd, kind, target));
                position++;
                continue;
            }

            break;
        }

        if (words.Count == 0 && assignments.Count == 0 && redirections.Count == 0)
        {
            throw position < tokens.Count ? Unexpected(tokens[position].Op ?? "?") : new ShellSyntaxException("Syntax error: end of file unexpected");
        }

        return new SimpleCommand(assignments, words, redirections);
    }

    private static Assignment? TryAssignment(Word word)
    {
        if (word.Parts is not [LiteralPart { Quoted: false } first, ..])
        {
            return null;
        }

        var equals = first.Text.IndexOf('=');
        if (equals <= 0 || !IsName(first.Text.AsSpan(0, equals)))
        {
            return null;
        }

        var rest = new List<WordPart>();
        if (equals + 1 < first.Text.Length)
        {
            rest.Add(new LiteralPart(first.Text[(equals + 1)..], false));
        }

        rest.AddRange(word.Parts.Skip(1));
        return new Assignment(first.Text[..equals], new Word(rest));
    }

    private static bool IsName(ReadOnlySpan<char> text)
    {
        if (text.Length == 0 || !(char.IsAsciiLetter(text[0]) || text[0] == '_'))
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }

    private static ShellSyntaxException Unexpected(string op) =>
        new($"Syntax error: \"{(op == "\n" ? "newline" : op)}\" unexpected");

    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var parts = new List<WordPart>();
        var literal = new StringBuilder();
        var literalQuoted = false;
        var inWord = false;

        void FlushLiteral()
        {
            if (literal.Length > 0)
            {
                parts.Add(new LiteralPart(literal.ToString(), literalQuoted));
                literal.Clear();
            }
        }

        void Append(char c, bool quoted)
        {
            if (literal.Length > 0 && literalQuoted != quoted)
            {
                FlushLiteral();
            }

            literalQuoted = quoted;
            literal.Append(c);
            inWord = true;
        }

        void EndWord()
        {
            FlushLiteral();
            if (inWord)
            {
                tokens.Add(new Token(new Word([.. parts]), null, null, 0));
            }

            parts.Clear();
            inWord = false;
        }

        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            switch (c)
            {
                case ' ' or '\t':
                    EndWord();
                    i++;
                    break;
                case '\n':
                    EndWord();
                    tokens.Add(Token.Operator("\n"));
                    i++;
                    break;
                case '#' when !inWord:
                    while (i < text.Length && text[i] != '\n')
                    {
                        i++;
                    }

                    break;
                case ';' or '&' or '|':
                    EndWord();
                    if (i + 1 < text.Length && text[i + 1] == c && c != ';')
                    {
                        tokens.Add(Token.Operator(new string(c, 2)));
                        i += 2;
                    }
                    else
                    {
                        tokens.Add(Token.Operator(c.ToString()));
                        i++;
                    }

                    break;
                case '>' or '<':
                    {
                        // A word made only of one digit right before the operator is the file descriptor ("2>").
                        var fd = c == '>' ? 1 : 0;
                        if (inWord && parts.Count == 0 && !literalQuoted && literal.Length == 1 && char.IsAsciiDigit(literal[0]))
                        {
                            fd = literal[0] - '0';
                            literal.Clear();
                            inWord = false;
                        }

                        EndWord();
                        if (c == '>' && i + 1 < text.Length && text[i + 1] == '>')
                        {
                            tokens.Add(Token.Redirection(fd, RedirectionKind.Append, ">>"));
                            i += 2;
                        }
                        else if (c == '>' && i + 1 < text.Length && text[i + 1] == '&')
                        {
                            tokens.Add(Token.Redirection(fd, RedirectionKind.Duplicate, ">&"));
                            i += 2;
                        }
                        else
                        {
                            tokens.Add(Token.Redirection(fd, c == '>' ? RedirectionKind.Output : RedirectionKind.Input, c.ToString()));
                            i++;
                        }

                        break;
                    }

                case '\'':
                    {
                        var end = text.IndexOf('\'', i + 1);
                        if (end < 0)
                        {
                            throw new ShellSyntaxException("Syntax error: Unterminated quoted string");
                        }

                        FlushLiteral();
                        parts.Add(new LiteralPart(text[(i + 1)..end], true));
                        inWord = true;
                        i = end + 1;
                        break;
                    }

                case '"':
                    i++;
                    inWord = true;
                    FlushLiteral();
                    var closed = false;
                    while (i < text.Length)
                    {
                        var d = text[i];
                        if (d == '"')
                        {
                            closed = true;
                            i++;
                            break;
                        }

                        if (d == '\\' && i + 1 < text.Length && text[i + 1] is '"' or '\\' or '$' or '`' or '\n')
                        {
                            if (text[i + 1] != '\n')
                            {
                                Append(text[i + 1], true);
                            }

                            i += 2;
                        }
                        else if (d == '$' && TryReadParameter(text, i, out var name, out var length))
                        {
                            FlushLiteral();
                            parts.Add(new VariablePart(name, true));
                            i += length;
                        }
                        else
                        {
                            Append(d, true);
                            i++;
                        }
                    }

                    if (!closed)
                    {
                        throw new ShellSyntaxException("Syntax error: Unterminated quoted string");
                    }

                    // "" is an (empty) word even with no characters in it.
                    FlushLiteral();
                    parts.Add(new LiteralPart(string.Empty, true));
                    break;
                case '\\':
                    if (i + 1 < text.Length)
                    {
                        if (text[i + 1] != '\n')
                        {
                            Append(text[i + 1], true);
                        }

                        i += 2;
                    }
                    else
                    {
                        i++;
                    }

                    break;
                case '$' when TryReadParameter(text, i, out var parameter, out var parameterLength):
                    FlushLiteral();
                    parts.Add(new VariablePart(parameter, false));
                    inWord = true;
                    i += parameterLength;
                    break;
                case '(' or ')' or '`':
                    throw new ShellSyntaxException(c == '`' || (c == '(' && i > 0 && text[i - 1] == '$')
                        ? "command substitution is not supported by this shell"
                        : $"Syntax error: \"{c}\" unexpected");
                default:
                    Append(c, false);
                    i++;
                    break;
            }
        }

        EndWord();
        return tokens;
    }

    private static bool TryReadParameter(string text, int dollar, out string name, out int length)
    {
        name = string.Empty;
        length = 0;
        if (dollar + 1 >= text.Length)
        {
            return false;
        }

        var next = text[dollar + 1];
        if (next is '?' or '$' or '#' or '!' || char.IsAsciiDigit(next))
        {
            name = next.ToString();
            length = 2;
            return true;
        }

        if (next == '{')
        {
            var close = text.IndexOf('}', dollar + 2);
            if (close < 0)
            {
                throw new ShellSyntaxException("Syntax error: Missing '}'");
            }

            name = text[(dollar + 2)..close];
            if (!IsName(name) && name is not ("?" or "$" or "#"))
            {
                throw new ShellSyntaxException($"${{{name}}}: Bad substitution");
            }

            length = close - dollar + 1;
            return true;
        }

        var end = dollar + 1;
        while (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] == '_'))
        {
            end++;
        }

        if (end == dollar + 1 || char.IsAsciiDigit(text[dollar + 1]))
        {
            return false;
        }

        name = text[(dollar + 1)..end];
        length = end - dollar;
        return true;
    }

    private sealed record Token(Word? Word, string? Op, RedirectionKind? Redirect, int Fd)
    {
        public static Token Operator(string op) => new(null, op, null, 0);

        public static Token Redirection(int fd, RedirectionKind kind, string op) => new(null, op, kind, fd);

        public bool IsOperator(string op) => Redirect is null && Op == op;
    }
}
