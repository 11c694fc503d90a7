using System.Text.Json.Nodes;

namespace Kosmos.KubeSim.Machinery;

/// <summary>
/// Strategic merge patch (<c>application/strategic-merge-patch+json</c>), applied the way the API server applies
/// it (<c>k8s.io/apimachinery/pkg/util/strategicpatch</c> with <c>MergeParallelList</c> and
/// <c>IgnoreUnmatchedNulls</c>):
/// <list type="bullet">
/// <item>maps merge recursively; <c>null</c> deletes a field;</item>
/// <item>lists the schema marks as merging (containers, env, volumes, ports, conditions, ownerReferences, ...)
/// merge items by their merge key; primitive merge lists (finalizers) merge as sets; every other list is replaced;</item>
/// <item>directives: <c>$patch: replace|delete|merge</c> in maps, <c>$patch: replace|delete</c> list items,
/// <c>$setElementOrder/&lt;list&gt;</c>, <c>$retainKeys</c>, <c>$deleteFromPrimitiveList/&lt;list&gt;</c>.</item>
/// </list>
/// Unknown fields merge like free-form JSON (maps merge, lists replace). Pure and thread-safe; inputs are never mutated.
/// </summary>
public static class StrategicMergePatch
{
    private const string PatchDirective = "$patch";
    private const string RetainKeysDirective = "$retainKeys";
    private const string SetElementOrderPrefix = "$setElementOrder/";
    private const string DeleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList/";

    /// <summary>Returns <paramref name="original"/> with <paramref name="patch"/> applied.</summary>
    /// <exception cref="PatchException">The patch is not an object, or a directive or list item is malformed.</exception>
    public static JsonObject Apply(JsonObject original, JsonNode? patch, ResourceSchema schema)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(schema);
        if (patch is not JsonObject patchObject)
        {
            throw new PatchException($"a strategic merge patch must be a JSON object, not {JsonNodes.GoJsonKind(patch)}");
        }

        return MergeMap((JsonObject)original.DeepClone(), patchObject, schema.Root);
    }

    // original is owned and mutated; patch is only read.
    private static JsonObject MergeMap(JsonObject original, JsonObject patch, SchemaNode? schema, bool ignorePatchDirective = false)
    {
        if (!ignorePatchDirective && patch.TryGetPropertyValue(PatchDirective, out var directive))
        {
            switch (JsonNodes.GetString(directive))
            {
                case "replace":
                    return MergeMap([], patch, schema, ignorePatchDirective: true);
                case "delete":
                    return [];
                case "merge":
                    break;
                default:
                    throw new PatchException($"unknown patch type: {JsonNodes.ToJson(directive)} in map: {JsonNodes.ToJson(patch)}");
            }
        }

        if (patch.TryGetPropertyValue(RetainKeysDirective, out var retainKeys))
        {
            ApplyRetainKeys(original, retainKeys);
        }

        var handled = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, order) in patch)
        {
            if (key.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal))
            {
                var listKey = key[SetElementOrderPrefix.Length..];
                if (MergeWithElementOrder(original, patch, listKey, order, schema))
                {
                    handled.Add(listKey);
                }
            }
        }

        foreach (var (key, patchValue) in patch)
        {
            if (key is PatchDirective or RetainKeysDirective || key.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal) || handled.Contains(key))
            {
                continue;
            }

            if (key.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal))
            {
                DeleteFromPrimitiveList(original, key[DeleteFromPrimitiveListPrefix.Length..], patchValue);
                continue;
            }

            if (patchValue is null)
            {
                original.Remove(key);
                continue;
            }

            var child = schema?.Property(key);
            if (!original.TryGetPropertyValue(key, out var originalValue) || originalValue is null)
            {
                if (IsDeleteDirective(patchValue))
                {
                    original.Remove(key);
                }
                else
                {
                    Set(original, key, Clean(patchValue, child));
                }

                continue;
            }

            switch (originalValue, patchValue)
            {
                case (JsonObject originalMap, JsonObject patchMap):
                    {
                        var merged = MergeMap(originalMap, patchMap, child);
                        if (!ReferenceEquals(merged, originalMap))
                        {
                            Set(original, key, merged);
                        }

                        break;
                    }

                case (JsonArray originalList, JsonArray patchList) when child is { MergesList: true }:
                    Set(original, key, new JsonArray([.. MergeList(originalList, patchList, child)]));
                    break;
                default:
                    // Different types, atomic lists and scalars: the patch value wins.
                    Set(original, key, Clean(patchValue, child));
                    break;
            }
        }

        return original;
    }

    private static void Set(JsonObject target, string key, JsonNode? value)
    {
        target.Remove(key);
        target[key] = value;
    }

    private static bool IsDeleteDirective(JsonNode value) =>
        value is JsonObject map && JsonNodes.GetString(map[PatchDirective]) == "delete";

    private static void ApplyRetainKeys(JsonObject original, JsonNode? retainKeys)
    {
        if (retainKeys is not JsonArray keys || keys.Any(k => JsonNodes.GetString(k) is null))
        {
            throw new PatchException($"invalid {RetainKeysDirective} directive: expected a list of field names, got {JsonNodes.ToJson(retainKeys)}");
        }

        var keep = keys.Select(k => k!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
        foreach (var key in original.Select(p => p.Key).Where(k => !keep.Contains(k)).ToList())
        {
            original.Remove(key);
        }
    }

    private static void DeleteFromPrimitiveList(JsonObject original, string listKey, JsonNode? toDelete)
    {
        if (toDelete is not JsonArray deletions)
        {
            throw new PatchException($"invalid {DeleteFromPrimitiveListPrefix}{listKey} directive: expected a list, got {JsonNodes.ToJson(toDelete)}");
        }

        if (original[listKey] is JsonArray list)
        {
            var kept = Detach(list).Where(item => !deletions.Any(d => JsonNodes.DeepEquals(d, item))).ToArray();
            Set(original, listKey, new JsonArray(kept));
        }
    }

    /// <summary>Merges one list together with its <c>$setElementOrder</c> directive; false when the list is left to normal processing.</summary>
    private static bool MergeWithElementOrder(JsonObject original, JsonObject patch, string listKey, JsonNode? orderNode, SchemaNode? schema)
    {
        if (orderNode is not JsonArray order)
        {
            throw new PatchException($"invalid {SetElementOrderPrefix}{listKey} directive: expected a list, got {JsonNodes.ToJson(orderNode)}");
        }

        var hasPatchList = patch.TryGetPropertyValue(listKey, out var patchListNode);
        if (hasPatchList && patchListNode is null)
        {
            return false;
        }

        if (hasPatchList && patchListNode is not JsonArray)
        {
            throw new PatchException($"invalid patch for {listKey}: expected a list alongside {SetElementOrderPrefix}{listKey}, got {JsonNodes.ToJson(patchListNode)}");
        }

        var patchList = patchListNode as JsonArray;
        var originalList = original[listKey] as JsonArray;
        var child = schema?.Property(listKey);
        var mergeKey = child?.MergeKey;
        ValidateMergeKeys(order, mergeKey);
        ValidateOrder(patchList, order, mergeKey);
        if (originalList is null && patchList is null)
        {
            return false;
        }

        var serverOrder = originalList?.ToList() ?? [];
        List<JsonNode?> merged;
        if (patchList is null)
        {
            merged = Detach(originalList!);
        }
        else if (child is { MergesList: true })
        {
            merged = MergeList(originalList ?? [], patchList, child);
        }
        else
        {
            merged = Detach((JsonArray)Clean(patchList, child)!);
        }

        var inOrder = merged.Where(item => IndexOf(order, item, mergeKey) >= 0).ToList();
        var serverOnly = merged.Where(item => IndexOf(order, item, mergeKey) < 0).ToList();
        Set(original, listKey, new JsonArray([.. Normalize(inOrder, serverOnly, order, serverOrder, mergeKey)]));
        return true;
    }

    /// <summary>Merges a patch list into an original list; the nodes returned have no parent.</summary>
    private static List<JsonNode?> MergeList(JsonArray original, JsonArray patch, SchemaNode listSchema)
    {
        var items = Detach(original);
        var hasMaps = items.Concat(patch).Any(i => i is JsonObject);
        var hasScalars = items.Concat(patch).Any(i => i is not null and not JsonObject);
        if (hasMaps && hasScalars)
        {
            throw new PatchException($"unable to merge a list that mixes objects and other values: {JsonNodes.ToJson(patch)}");
        }

        if (!hasMaps)
        {
            var serverOrder = items.ToList();
            foreach (var item in patch)
            {
                if (!items.Any(existing => JsonNodes.DeepEquals(existing, item)))
                {
                    items.Add(JsonNodes.Clone(item));
                }
            }

            var patchItems = items.Where(i => IndexOf(patch, i, null) >= 0).ToList();
            var serverOnly = items.Where(i => IndexOf(patch, i, null) < 0).ToList();
            return Normalize(patchItems, serverOnly, [.. patch], serverOrder, null);
        }

        var mergeKey = listSchema.MergeKey
            ?? throw new PatchException($"cannot merge lists without merge key: {JsonNodes.ToJson(patch)}");
        var replace = false;
        var plain = new List<JsonObject>();
        foreach (var node in patch)
        {
            if (node is not JsonObject item)
            {
                continue;
            }

            if (!item.TryGetPropertyValue(PatchDirective, out var directive))
            {
                plain.Add(item);
                continue;
            }

            switch (JsonNodes.GetString(directive))
            {
                case "delete":
                    {
                        if (!item.TryGetPropertyValue(mergeKey, out var keyValue))
                        {
                            throw NoMergeKey(item, mergeKey);
                        }

                        items.RemoveAll(i => i is JsonObject existing && existing.TryGetPropertyValue(mergeKey, out var v) && JsonNodes.DeepEquals(v, keyValue));
                        break;
                    }

                case "replace":
                    replace = true;
                    break;
                case "merge":
                    throw new PatchException("merging lists cannot yet be specified in the patch");
                default:
                    throw new PatchException($"unknown patch type: {JsonNodes.ToJson(directive)} in map: {JsonNodes.ToJson(item)}");
            }
        }

        if (replace)
        {
            return plain.Select(item => (JsonNode?)MergeMap([], item, listSchema.Items)).ToList();
        }

        var order = items.ToList();
        foreach (var item in plain)
        {
            if (!item.TryGetPropertyValue(mergeKey, out var keyValue))
            {
                throw NoMergeKey(item, mergeKey);
            }

            var index = items.FindIndex(i => i is JsonObject existing && existing.TryGetPropertyValue(mergeKey, out var v) && JsonNodes.DeepEquals(v, keyValue));
            if (index >= 0)
            {
                items[index] = MergeMap((JsonObject)items[index]!, item, listSchema.Items);
            }
            else
            {
                items.Add(MergeMap([], item, listSchema.Items));
            }
        }

        var patchOrder = plain.Cast<JsonNode?>().ToList();
        var fromPatch = items.Where(i => IndexOf(patchOrder, i, mergeKey) >= 0).ToList();
        var onlyServer = items.Where(i => IndexOf(patchOrder, i, mergeKey) < 0).ToList();
        return Normalize(fromPatch, onlyServer, patchOrder, order, mergeKey);
    }

    /// <summary>
    /// Orders patch items by the patch (or $setElementOrder) order and server-only items by the live order, then
    /// interleaves them so both relative orders hold (apimachinery's normalizeElementOrder + mergeSortedSlice).
    /// </summary>
    private static List<JsonNode?> Normalize(List<JsonNode?> patchItems, List<JsonNode?> serverOnly, IList<JsonNode?> patchOrder, IList<JsonNode?> serverOrder, string? mergeKey)
    {
        var right = patchItems.OrderBy(i => IndexOf(patchOrder, i, mergeKey)).ToList();
        var left = serverOnly.OrderBy(i => IndexOf(serverOrder, i, mergeKey)).ToList();
        var result = new List<JsonNode?>(left.Count + right.Count);
        int l = 0, r = 0;
        while (l < left.Count || r < right.Count)
        {
            if (l >= left.Count)
            {
                result.Add(right[r++]);
            }
            else if (r >= right.Count)
            {
                result.Add(left[l++]);
            }
            else
            {
                var leftIndex = IndexOf(serverOrder, left[l], mergeKey);
                var rightIndex = IndexOf(serverOrder, right[r], mergeKey);
                result.Add(leftIndex >= 0 && rightIndex >= 0 && leftIndex < rightIndex ? left[l++] : right[r++]);
            }
        }

        return result;
    }

    private static int IndexOf(IEnumerable<JsonNode?> list, JsonNode? item, string? mergeKey)
    {
        var index = 0;
        foreach (var candidate in list)
        {
            if (SameElement(candidate, item, mergeKey))
            {
                return index;
            }

            index++;
        }

        return -1;
    }

    private static bool SameElement(JsonNode? a, JsonNode? b, string? mergeKey)
    {
        if (mergeKey is not null && a is JsonObject mapA && b is JsonObject mapB)
        {
            return mapA.TryGetPropertyValue(mergeKey, out var keyA) && mapB.TryGetPropertyValue(mergeKey, out var keyB) && JsonNodes.DeepEquals(keyA, keyB);
        }

        return JsonNodes.DeepEquals(a, b);
    }

    private static void ValidateMergeKeys(JsonArray order, string? mergeKey)
    {
        if (mergeKey is null)
        {
            return;
        }

        foreach (var item in order)
        {
            if (item is JsonObject map && !map.ContainsKey(mergeKey))
            {
                throw NoMergeKey(map, mergeKey);
            }
        }
    }

    // validatePatchWithSetOrderList: the patch list must follow the relative order of $setElementOrder.
    private static void ValidateOrder(JsonArray? patchList, JsonArray order, string? mergeKey)
    {
        if (patchList is null || patchList.Count == 0 || order.Count == 0)
        {
            return;
        }

        var items = patchList.Where(i => !(i is JsonObject map && map.ContainsKey(PatchDirective))).ToList();
        int p = 0, o = 0;
        while (p < items.Count && o < order.Count)
        {
            if (SameElement(items[p], order[o], mergeKey))
            {
                p++;
            }

            o++;
        }

        if (p < items.Count)
        {
            throw new PatchException($"The order in patch list:\n{JsonNodes.ToJson(patchList)}\n doesn't match {SetElementOrderPrefix} list:\n{JsonNodes.ToJson(order)}\n");
        }
    }

    private static PatchException NoMergeKey(JsonObject item, string mergeKey) =>
        new($"map: {JsonNodes.ToJson(item)} does not contain declared merge key: {mergeKey}");

    /// <summary>A patch value with nothing to merge into: directives are resolved and nulls dropped.</summary>
    private static JsonNode? Clean(JsonNode? value, SchemaNode? schema) => value switch
    {
        JsonObject map => MergeMap([], map, schema),
        JsonArray list when schema is { MergesList: true } => new JsonArray([.. MergeList([], list, schema)]),
        JsonArray list => new JsonArray([.. list.Select(item => item is JsonObject map ? MergeMap([], map, schema?.Items) : JsonNodes.Clone(item))]),
        _ => JsonNodes.Clone(value),
    };

    private static List<JsonNode?> Detach(JsonArray array)
    {
        var items = array.ToList();
        array.Clear();
        return items;
    }
}
