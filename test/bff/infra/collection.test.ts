import { Schema, type Connection } from 'mongoose';
import { driverCollection } from '@eid/bff/infra/collection';
import { testDatabase } from '../../helpers/database';

interface NoteDoc {
  _id: string;
  text: string;
}

describe('driverCollection', () => {
  const database = testDatabase();
  let db: Connection;

  beforeAll(async () => {
    db = await database.connect();
  });
  afterAll(() => database.drop());

  it("when a document is written through the model's driver collection, then the model reads it back", async () => {
    const notes = db.model<NoteDoc>(
      'Note',
      new Schema<NoteDoc>({ _id: String, text: String }, { collection: 'notes', versionKey: false }),
    );
    const raw = driverCollection<NoteDoc>(notes);
    await raw.insertMany([{ _id: 'n1', text: '你好' }], { ordered: true });
    expect(raw.collectionName).toBe('notes');
    expect(await notes.findById('n1').lean()).toEqual({ _id: 'n1', text: '你好' });
  });
});
