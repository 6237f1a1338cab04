using System.Text.Json.Nodes;
using AceStep.Contracts;
using AceStep.Engine.Host.Queue;

namespace AceStep.Engine.Host.Tasks;

/// <summary>How a task's result slots appear in a reply: finished items as they are, unfinished ones as progress.</summary>
internal static class ReplyItems
{
    /// <summary>
    /// The items of <paramref name="record"/>. With <paramref name="withStatus"/> (getResponse) every data item
    /// carries <c>status</c>; items still running always carry <c>status: processing</c> and <c>progress</c>.
    /// </summary>
    public static TaskOutcome From(TaskRecord record, bool withStatus)
    {
        var data = new List<JsonObject>();
        var errors = new List<TaskError>();
        foreach (var slot in record.Items)
        {
            switch (slot.Status)
            {
                case ItemStatus.Success:
                    var item = slot.Result!.DeepClone().AsObject();
                    if (withStatus)
                    {
                        item["status"] = "success";
                    }
                    data.Add(item);
                    break;
                case ItemStatus.Error:
                    errors.Add(slot.Error!);
                    break;
                default:
                    data.Add(new JsonObject
                    {
                        ["taskType"] = record.TaskType,
                        ["taskUUID"] = record.TaskUuid.ToString(),
                        ["status"] = "processing",
                        ["progress"] = (int)Math.Floor(slot.Progress),
                    });
                    break;
            }
        }
        errors.AddRange(record.ExtraErrors);
        return new TaskOutcome(data, errors);
    }
}
