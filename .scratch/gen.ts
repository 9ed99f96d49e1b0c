import { writeFileSync } from 'node:fs';
const parts: string[] = ['{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"ESLint","rules":[{"id":"r","defaultConfiguration":{"level":"error"}}]}},"results":['];
for (let i = 0; i < 20000; i++) parts.push(`${i ? ',' : ''}{"ruleId":"r","message":{"text":"Finding ${i}: unexpected use of a value that may be undefined here"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"src/module-${i % 900}/file-${i % 37}.ts"},"region":{"startLine":${(i % 400) + 1},"startColumn":5,"snippet":{"text":"const value${i} = input${i % 97}.property;"}}}}],"partialFingerprints":{"primaryLocationLineHash":"${(i * 2654435761).toString(16)}:1"}}`);
parts.push(']}]}');
writeFileSync('/tmp/s10.sarif', parts.join(''));
