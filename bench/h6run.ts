import { run } from './h6prof';
run().then((r) => { console.log(JSON.stringify(r)); process.exit(0); });
