import json,glob,statistics,collections
groups=collections.defaultdict(list)
for f in sorted(glob.glob('*.json')):
  try: d=json.load(open(f))
  except Exception: continue
  key=f.rsplit('-',1)[0]
  for b in d:
    name=key+' '+b['params'].get('strategy', b['benchmark'].split('.')[-1])
    m=b['secondaryMetrics'].get('committed')
    if m is None:
      raw=[x for fork in b['primaryMetric']['rawData'] for x in fork]
    else:
      raw=[x for fork in m['rawData'] for x in fork]
    groups[name].extend(raw)
for k,v in sorted(groups.items()): print(f"{k:55s} n={len(v):2d} median {statistics.median(v):>12,.0f}")
