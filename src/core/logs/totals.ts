/**
 * A detector's whole loss from its logged terms. Ultralytics (YOLOv5 v6.1+, YOLOv8, YOLO11, YOLO12,
 * RT-DETR) logs only the terms of the loss it trains on, `train/box_loss`, `train/cls_loss`,
 * `train/dfl_loss` (`train/obj_loss` in YOLOv5, `train/seg_loss`, `train/pose_loss`, `train/kobj_loss`,
 * `train/giou_loss`, `train/l1_loss` in other tasks), each already times its gain (`box: 7.5`…): the loss
 * its optimiser lowers is their sum (`loss.sum() * batch_size`), and so is its validation's. Its
 * results.csv, MLflow metrics and event files have no total, so a fit took the first term, the box
 * loss, for the run's; YOLOv5's results.txt prints the total (`loss`), which its reader keeps.
 */
import { own } from '../own';
import type { ColumnInfo, ParsedLog } from './types';

/** An Ultralytics loss term: the split (`train`, `val`) and the term. */
const TERM_RE = /^(train|val)\/(box|obj|cls|dfl|seg|pose|kobj|giou|l1)_loss$/;

/**
 * The log with `train/loss` (the sum of its `train/*_loss` terms, a row where each is finite) and
 * `val/loss` (the same of `val/*_loss`), each beside its first term; a log without a classification
 * term and a box term (`box` or `giou`) for a split, or that already has its total, is left as it is.
 */
export function withLossTotals(log: ParsedLog): ParsedLog {
  if (log.kind !== 'run' || log.rows === 0) return log;
  let columns: ColumnInfo[] | undefined;
  let data: ParsedLog['data'] | undefined;
  for (const split of ['train', 'val'] as const) {
    const role = split === 'train' ? 'loss' : 'eval_loss';
    const name = `${split}/loss`;
    if (log.columns.some((c) => c.name === name)) continue;
    const terms = log.columns.filter((c) => c.role === role && TERM_RE.exec(c.name)?.[1] === split && own(log.data, c.name));
    const has = (t: string) => terms.some((c) => c.name === `${split}/${t}_loss`);
    if (terms.length < 2 || !has('cls') || !(has('box') || has('giou'))) continue;
    const sum = new Float64Array(log.rows);
    const values = terms.map((c) => log.data[c.name]);
    for (let i = 0; i < sum.length; i++) {
      let s = 0;
      for (const v of values) s += v[i];
      sum[i] = Number.isFinite(s) ? s : NaN;
    }
    const reason = `the sum of its ${terms.length} terms (${terms.map((c) => c.name).join(' + ')}): the loss Ultralytics' YOLO ${split === 'train' ? 'trains on' : 'validates'}, each term times its gain`;
    columns ??= log.columns.slice();
    data ??= { ...log.data };
    columns.splice(columns.indexOf(terms[0]), 0, { name, role, confidence: 0.9, reason, numeric: true });
    data[name] = sum;
  }
  return columns && data ? { ...log, columns, data } : log;
}
